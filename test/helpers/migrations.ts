/**
 * A template.yaml whose own migrations are replaced by `block` (a `migrations:` section, or '' for none):
 * how the tests give a version the migrations it declares, whatever the templates they copy declare.
 */
export function withMigrations(templateYaml: string, block: string): string {
  const at = templateYaml.search(/^(?:#[^\n]*\n)*migrations:/m);
  return `${at < 0 ? templateYaml : templateYaml.slice(0, at)}${block}`;
}
