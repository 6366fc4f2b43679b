import type { Command } from 'commander';

export function registerAdd(program: Command): void {
  void program;
}
