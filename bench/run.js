// `npm run bench`: every benchmark, each comparing with a floor or a peer measured in the same run.
import { benchNew } from './new.js';
import { benchValidate } from './validate.js';
import { benchUpgrade } from './upgrade.js';
import { benchReports } from './reports.js';
import { benchFleet } from './fleet.js';
import { benchReport } from './report.js';
import { benchKubernetes } from './kubernetes.js';

benchNew();
await benchValidate();
await benchUpgrade();
await benchReports();
await benchFleet();
await benchReport();
await benchKubernetes();
