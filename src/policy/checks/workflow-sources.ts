/**
 * The untrusted sources of workflow-injection and workflow-github-env, their defaults in one place (a
 * policy file may replace them with `untrusted`, `objects` and `outputs`). Paths are lower case and
 * `.`-joined, `*` for any index; each pattern must match the whole path.
 */
export const TAINT_DEFAULTS = {
  /** Context paths whose text an outsider writes. */
  untrusted: [
    'github\\.event\\.(issue|pull_request|discussion)\\.(title|body)',
    'github\\.event\\.(comment|review|review_comment)\\.body',
    'github\\.event\\.changes\\.(title|body)\\.from',
    'github\\.event\\.pages\\.[^.]+\\.page_name',
    'github\\.event\\.(commits\\.[^.]+|head_commit|workflow_run\\.head_commit|merge_group\\.head_commit)\\.(message|author\\.(email|name)|committer\\.(email|name))',
    'github\\.event\\.pull_request\\.head\\.(ref|label|repo\\.default_branch)',
    'github\\.head_ref',
    'github\\.event\\.workflow_run\\.(head_branch|display_title|pull_requests\\.[^.]+\\.head\\.ref)',
    'github\\.event\\.(check_suite|check_run\\.check_suite)\\.head_branch',
    'github\\.event\\.[^.]+\\.(title|body)',
  ],
  /** Objects that hold such text, untrusted when a script gets them whole (`toJSON(github.event)`). */
  objects: [
    'github',
    'github\\.event',
    'github\\.event\\.(\\*|issue|pull_request|pull_request\\.head|comment|review|review_comment|discussion|changes|pages|pages\\.[^.]+|head_commit|head_commit\\.author|commits|commits\\.[^.]+|commits\\.[^.]+\\.author|workflow_run|workflow_run\\.head_commit)',
  ],
  /** Actions whose outputs list what a pull request changed: file names are text its author chose. */
  outputs: {
    'tj-actions/changed-files': ['*'],
    'jitterbit/get-changed-files': ['all', 'added', 'modified', 'removed', 'renamed', 'added_modified'],
  } as Record<string, string[]>,
};
