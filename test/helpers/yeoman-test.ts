/**
 * yeoman-test's helpers, with one change. Its TestAdapter hands Inquirer two streams made by
 * `Duplex.from` (input, never read, and output) and never listens for their errors; on Node 24 such a
 * stream is destroyed with an AbortError when nothing consumes it, which surfaces as an uncaught
 * exception after every run, though the run itself went right. Here those two streams, and only those,
 * get a listener. `yo` and `platform new` use Yeoman's terminal adapter, which makes no such stream.
 */
import { Duplex } from 'node:stream';
import { TestAdapter, YeomanTest } from 'yeoman-test';

type AdapterOptions = ConstructorParameters<typeof TestAdapter>[0];

export function quietTestAdapter(options?: AdapterOptions): TestAdapter {
  const original = Object.getOwnPropertyDescriptor(Duplex, 'from')!.value as typeof Duplex.from;
  const from = original.bind(Duplex);
  Duplex.from = ((...args: Parameters<typeof Duplex.from>) => from(...args).on('error', () => {})) as typeof Duplex.from;
  try {
    return new TestAdapter(options);
  } finally {
    Duplex.from = original;
  }
}

class Helpers extends YeomanTest {
  override createTestAdapter(options?: AdapterOptions): TestAdapter {
    return quietTestAdapter({ ...this.adapterOptions, ...options });
  }
}

export const helpers = new Helpers();
