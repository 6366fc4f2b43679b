// GitHub's workflow and action schemas, which @actions/workflow-parser ships but does not export: the
// bundlers alias these names to the files (scripts/bundle-cli.js, `npm run bundle`).
declare module '@actions/workflow-parser/workflow-v1.0.min.json' {
  const schema: Record<string, unknown>;
  export default schema;
}
declare module '@actions/workflow-parser/action-v1.0.min.json' {
  const schema: Record<string, unknown>;
  export default schema;
}
