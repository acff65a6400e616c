import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI dispatcher', () => {
  it.each([[[]], [['help']], [['-h']], [['templates']], [['templates', '--help']], [['routes']], [['routes', '-h']]])('%j prints the main usage and exits 0', async (args) => {
    const { code, out } = await cli(args);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: clientvpn-notifier <command>/);
  });

  it.each([
    [['templates', 'preview', '--help'], 'templates preview'],
    [['templates', 'validate', '--help'], 'templates validate'],
    [['templates', 'pull', '--help'], 'templates pull'],
    [['templates', 'push', '--help'], 'templates push'],
    [['test-notification', '--help'], 'test-notification'],
    [['routes', 'pull', '--help'], 'routes pull'],
    [['routes', 'validate', '--help'], 'routes validate'],
    [['routes', 'push', '--help'], 'routes push'],
    [['routes', 'test', '--help'], 'routes test'],
  ])('%j prints that command\'s usage and exits 0', async (args, command) => {
    const { code, out } = await cli(args);
    expect(code).toBe(0);
    expect(out.startsWith(`Usage: clientvpn-notifier ${command} `)).toBe(true);
  });

  it.each([
    [['templates', 'help'], /unknown templates command "help" \(preview, validate, pull, push\)/],
    // Names inherited from Object.prototype are not commands.
    [['templates', 'toString'], /unknown templates command "toString"/],
    [['templates', 'constructor'], /unknown templates command "constructor"/],
    [['routes', 'help'], /unknown routes command "help" \(pull, validate, push, test\)/],
    [['routes', '__proto__'], /unknown routes command "__proto__"/],
    [['toString'], /unknown command "toString"/],
    [['templates', 'validate', '--kind', 'disconnects'], /--kind must be connect, disconnect, connect-failed, all/],
    [['test-notification', 'extra'], /Unexpected argument 'extra'/],
    [['templates', 'pull', '--path', 'relative/path'], /--path must be a Parameter Store path/],
    [['templates', 'pull', '--path', '/a/{b}'], /--path must be a Parameter Store path/],
  ])('%j is a usage error (exit 2), one line plus the hint', async (args, message) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([expect.stringMatching(message), 'Run "clientvpn-notifier --help" for usage.']);
  });

  it('a path with a trailing slash is accepted (and then needs a region, a usage error of its own)', async () => {
    const { code, err } = await cli(['templates', 'pull', '--path', '/a/b/']);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: no AWS region/);
  });
});
