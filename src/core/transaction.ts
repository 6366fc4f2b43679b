/**
 * Writes that never lose work (docs/lifecycle.md): the one door through which `new`, `add`, `upgrade`
 * and the Yeoman sub-generators change a repository.
 *  - journal.ts: applyChanges (stage, commit by renaming the journal, move into place, record last) and
 *    recoverPending / hasPendingTransaction for what a killed run left;
 *  - lock.ts: one command at a time per repository;
 *  - new-repository.ts: a whole new repository, atomically where it can be;
 *  - safe-fs.ts: reads and checks that never leave the repository or block on a FIFO.
 */
export { applyChanges, hasPendingTransaction, recoverPending, type ChangeSet, type FileChange } from './journal.js';
export { withRepositoryLock, type Recovered } from './lock.js';
export { writeNewRepository } from './new-repository.js';
export { LOCK_FILE, readRepositoryFile, TXN_FOLDER } from './safe-fs.js';
