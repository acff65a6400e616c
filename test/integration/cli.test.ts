/**
 * The operator CLI against moto_server (Parameter Store, SNS, Secrets Manager) and the Slack fake.
 */
import { CONTRACT_ROUTES } from '../fixtures/routes-contract.ts';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { awsClients, createSecret, deleteTemplate, drainTopic, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue, type AwsClients } from '../support/aws.ts';
import { motoAvailable, startMoto, type Moto } from '../support/moto.ts';
import { listenOnLoopback } from '../support/net.ts';
import { startSlackFake, type SlackFake } from '../support/slack-fake.ts';

const BIN = fileURLToPath(new URL('../../bin/clientvpn-notifier.mjs', import.meta.url));
const REPO_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/connection-log', import.meta.url));
const TOKEN = 'xoxb-3333-4444-clitoken';

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { env: { ...TEST_ENV_CREDENTIALS, ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function spawnCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Contract section 13's example document. */
const ROUTES_DOC = CONTRACT_ROUTES;

const tempDir = () => mkdtempSync(join(tmpdir(), 'cvpn-cli-'));

function templateDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, `${name}.hbs`)), { recursive: true });
    writeFileSync(join(dir, `${name}.hbs`), text);
  }
  return dir;
}

/** What an SSM request through the interceptor should meet: the real service, or this error. */
type Interception = undefined | { readonly status: number; readonly type: string; readonly message: string };

/**
 * A proxy in front of moto's SSM that shows each request (operation and JSON body) to
 * `intercept` first, which may act (another operator's write) and may answer with an error.
 */
async function ssmInterceptor(upstream: string, intercept: (operation: string, body: Record<string, unknown>) => Promise<Interception>) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
      void intercept(operation, JSON.parse(body.toString() || '{}') as Record<string, unknown>).then((fault) => {
        if (fault) {
          res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.type });
          res.end(JSON.stringify({ __type: fault.type, message: fault.message }));
          return;
        }
        const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.end(body);
      });
    });
  });
  const listening = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}

describe('clientvpn-notifier CLI without AWS', () => {
  it.each([[['--help']], [['templates', 'preview', '--help']], [['templates', 'validate', '--help']], [['templates', 'pull', '--help']], [['templates', 'push', '--help']], [['test-notification', '--help']], [['routes', 'pull', '--help']], [['routes', 'push', '--help']], [['routes', 'validate', '--help']], [['routes', 'test', '--help']]])('%j prints usage and exits 0', async (args) => {
    const { code, out } = await cli(args);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: clientvpn-notifier/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['templates', 'push'], /--path must be a Parameter Store path/],
    [['templates', 'validate', '--dir', '/nonexistent'], /no such directory: \/nonexistent/],
    [['templates', 'preview', '--channel', 'fax'], /--channel must be slack or email/],
    [['templates', 'validate', '--bogus'], /Unknown option '--bogus'/],
  ])('%j is a usage error: one clear line, exit 2, no stack trace', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('previews local templates per channel', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'slack.hbs'), 'Hello {{username}} {{{platform}}}');
    const event = join(dir, 'e.json');
    writeFileSync(event, JSON.stringify({ username: '<!channel>', platform: '<b>' }));
    const slack = await cli(['templates', 'preview', '--dir', dir, '--event', event, '--channel', 'slack']);
    expect(slack.code).toBe(0);
    expect(slack.out).toContain('Hello &lt;!channel&gt; <b>');
    expect(slack.out).not.toContain('SNS: Publish');
    const email = await cli(['templates', 'preview', '--dir', dir, '--event', event, '--channel', 'email']);
    expect(email.out).toContain('Subject: [Client VPN] <!channel> connected from unknown address');
    expect(email.out).not.toContain('Slack: POST');
  });

  it('validate exits 1 on an error and names the template, line and column', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'slack.hbs'), 'ok\n{{shout username}}');
    writeFileSync(join(dir, 'email-subject.hbs'), '{{#if username}}');
    const { code, out } = await cli(['templates', 'validate', '--dir', dir]);
    expect(code).toBe(1);
    expect(out).toContain('error: slack: unknown helper "shout" at line 2, column 1');
    expect(out).toMatch(/error: email-subject: syntax error at line 1/);
  });

  it('validate checks every kind in the repo\'s templates/ folder, blocks included', async () => {
    const { code, out } = await cli(['templates', 'validate', '--dir', REPO_TEMPLATES]);
    expect(code).toBe(0);
    expect(out).toContain('12 template(s) checked (slack, email-subject, email-body, slack-blocks, disconnect/slack, disconnect/email-subject, disconnect/email-body, disconnect/slack-blocks, connect-failed/slack,');
    expect(out).toContain(': 0 error(s), 0 warning(s)');
  });

  it('validate --kind checks only that kind\'s files, against log entries', async () => {
    const dir = templateDir({ slack: '{{nope}}', 'disconnect/slack': ':wave: {{{username}}} left', 'disconnect/email-body': '{{username}} {{formatBytes ingressBytes}}' });
    const { code, out } = await cli(['templates', 'validate', '--kind', 'disconnect', '--dir', dir]);
    expect(code).toBe(0);
    expect(out).toMatch(/^warning: disconnect\/slack: event text reaches Slack unescaped/m);
    expect(out).toMatch(/^warning: disconnect\/email-body: renders empty for the "NA everywhere" event/m);
    expect(out).toContain('2 template(s) checked (disconnect/slack, disconnect/email-body): 0 error(s), 2 warning(s)');
  });

  it('preview --kind disconnect renders local templates of that kind, with blocks and a Block Kit Builder link', async () => {
    const dir = templateDir({
      slack: 'connect text, not shown',
      'disconnect/slack': 'bye {{username}} after {{formatDuration durationSeconds}}',
      'disconnect/slack-blocks': '[ { "type": "section", "text": { "type": "mrkdwn", "text": "{{username}} left ({{formatBytes egressBytes}} out)" } } ]',
    });
    const entry = join(dir, 'entry.json');
    writeFileSync(entry, JSON.stringify({ ...JSON.parse(readFileSync(join(FIXTURES, 'disconnect.json'), 'utf8')), username: '<!channel> "x"' }));
    const { code, out, err } = await cli(['templates', 'preview', '--kind', 'disconnect', '--dir', dir, '--event', entry]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('    bye &lt;!channel&gt; "x" after 2h 13m 05s');
    expect(out).not.toContain('connect text');
    expect(out).toContain('Blocks (disconnect/slack-blocks.hbs; sent beside the text');
    const link = /^Block Kit Builder: (\S+)$/m.exec(out)?.[1] ?? '';
    expect(link.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
    expect(JSON.parse(decodeURIComponent(link.split('#')[1] ?? ''))).toEqual({
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '&lt;!channel&gt; "x" left (7.3 MiB out)' } }],
    });
    expect(out).toContain('  Subject: [Client VPN] <!channel> "x" disconnected after 2h 13m 05s');
    expect(out).toContain('"event-type":{"DataType":"String","StringValue":"disconnect"}');
  });

  it('preview reads the kind from a log entry, and falls back to the bundled defaults for missing files', async () => {
    const { code, out } = await cli(['templates', 'preview', '--dir', tempDir(), '--event', join(FIXTURES, 'failed-handler-timed-out.json'), '--channel', 'slack']);
    expect(code).toBe(0);
    expect(out).toContain("Client VPN denied a connection because the notifier's own connect handler failed");
    expect(out).toContain('Blocks (bundled default;');
    expect(out).not.toContain('SNS: Publish');
  });

  it('preview of a connect shows the blocks beside what the handler sends', async () => {
    const { code, out } = await cli(['templates', 'preview', '--dir', tempDir()]);
    expect(code).toBe(0);
    expect(out).toContain('Slack: POST');
    expect(out).toMatch(/^Blocks \(bundled default;/m);
    expect(out).toMatch(/^Block Kit Builder: https:\/\/app\.slack\.com\/block-kit-builder\/#%7B%22blocks%22%3A%5B/m);
    expect(out).toContain('SNS: Publish');
  });

  it.each([
    [['--kind', 'connect', '--event', join(FIXTURES, 'disconnect.json')], 2, /is a connection log entry; preview it with --kind disconnect or connect-failed/],
    [['--kind', 'disconnect', '--event', join(FIXTURES, '../event-v2.json')], 2, /is not a connection log entry/],
    [['--kind', 'connect-failed', '--event', join(FIXTURES, 'disconnect.json')], 2, /the entry is a disconnect, not a connect-failed/],
    [['--kind', 'all'], 2, /--kind must be connect, disconnect, connect-failed$/m],
    [['--event', join(FIXTURES, 'attempt-successful.json')], 1, /this entry notifies nobody \(connection-events skips it\): successful connection attempt/],
  ])('preview %j exits %i with one clear line', async (args, exit, message) => {
    const { code, err } = await cli(['templates', 'preview', '--dir', tempDir(), ...args]);
    expect(code).toBe(exit);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('routes validate names each error by its JSON path and exits 1; a valid document is summarised', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ routes: [{ name: 'x', when: { users: ['ci-*'], groupz: ['a'] }, slack: { channel: 'C0SEC', mention: '@here' } }], default: { email: 'yes' } }));
    const invalid = await cli(['routes', 'validate', '--file', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.out.split('\n')).toEqual([
      'error: default.email: must be true, false or {"events": [...]}, got a string ("yes")',
      'error: routes[0].when.groupz: unknown key (allowed: events, endpoints, groups, users)',
      'error: routes[0].slack.mention: must be <!here>, <!channel>, <@U…> or <!subteam^S…>, got a string ("@here")',
      `${bad}: invalid (3 error(s)); the functions would log the errors and use the built-in document instead`,
    ]);
    const good = join(dir, 'routes.json');
    writeFileSync(good, JSON.stringify(ROUTES_DOC));
    const valid = await cli(['routes', 'validate', '--file', good]);
    expect(valid.code).toBe(0);
    expect(valid.out).toContain(`${good}: valid, 2 route(s), 0 warning(s):\n  admins: Slack to C0SECURITY with <!subteam^S0123ABC>, email, then continue\n  ci-robots: no Slack, no email`);
  });

  it('routes test --file shows matched routes, channels with mentions and email for an event and for a log entry', async () => {
    const dir = tempDir();
    const file = join(dir, 'routes.json');
    writeFileSync(file, JSON.stringify(ROUTES_DOC));
    const admin = await cli(['routes', 'test', '--event', join(FIXTURES, '../event-v2.json'), '--file', file]);
    expect(admin.code).toBe(0);
    expect(admin.out).toContain('matched: admins\ndeciding route: admins (the SNS attribute route="admins")\nslack: C0SECURITY, mention <!subteam^S0123ABC>\nemail: yes');

    const robot = join(dir, 'robot.json');
    writeFileSync(robot, JSON.stringify({ ...JSON.parse(readFileSync(join(FIXTURES, 'failed-handler-timed-out.json'), 'utf8')), username: 'CI-runner-7' }));
    const muted = await cli(['routes', 'test', '--event', robot, '--file', file]);
    expect(muted.out).toContain('connection log entry: connect-failed · user "CI-runner-7"');
    expect(muted.out).toContain('matched: ci-robots\ndeciding route: ci-robots (the SNS attribute route="ci-robots")\nslack: no post\nemail: no');

    const fallback = await cli(['routes', 'test', '--event', join(FIXTURES, 'disconnect.json'), '--file', file], { SLACK_CHANNEL: 'C0FALLBACK' });
    expect(fallback.out).toContain('matched: no route (default decides)\ndeciding route: default (the SNS attribute route="default")\nslack: C0123, no mention\nemail: no');

    const skipped = await cli(['routes', 'test', '--event', join(FIXTURES, 'saml-waiting-for-assertion.json'), '--file', file]);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/^nobody hears about it: connection-events skips this entry \(connection attempt waiting for the SAML assertion\)$/);
  });

  it.each([
    [['routes', 'test'], /--event FILE is required/],
    [['routes', 'test', '--event', 'x.json', '--file', 'a.json', '--name', '/a/b'], /use either --file or --name, not both/],
    [['routes', 'pull', '--name', 'routes'], /--name must be a Parameter Store name/],
    [['routes', 'validate', '--file', '/nonexistent/routes.json'], /cannot read \/nonexistent\/routes.json: ENOENT/],
    [['routes', 'frob'], /unknown routes command "frob" \(pull, validate, push, test\)/],
  ])('%j is a usage error: one clear line, exit 2', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('the bin runs from a clone: --help and a command\'s --help print usage on stdout, exit 0', async () => {
    for (const [args, usage] of [[['--help'], 'Usage: clientvpn-notifier <command>'], [['templates', 'push', '--help'], 'Usage: clientvpn-notifier templates push ']] as const) {
      const result = await spawnCli([...args], {});
      expect(result.code).toBe(0);
      expect(result.out.startsWith(usage)).toBe(true);
    }
  });

  it('the bin runs from a clone: usage error exits 2 on stderr', async () => {
    const result = await spawnCli(['nope'], {});
    expect(result.code).toBe(2);
    expect(result.err).toContain('error: unknown command "nope"');
  });
});

describe.skipIf(!motoAvailable())('clientvpn-notifier CLI against moto_server', () => {
  let moto: Moto;
  let aws: AwsClients;
  let slack: SlackFake;
  let env: Record<string, string>;
  const PATH = '/cli/templates';

  beforeAll(async () => {
    moto = await startMoto();
    aws = awsClients(moto.url);
    slack = await startSlackFake(TOKEN);
    env = { ...TEST_ENV_CREDENTIALS, AWS_ENDPOINT_URL: moto.url };
    // The in-process CLI builds its SDK clients from the standard variables, as an operator's shell would.
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    await slack?.close();
    await moto?.stop();
  });

  const storedValue = async (name: string, path = PATH) => (await aws.ssm.send(new GetParameterCommand({ Name: `${path}/${name}` }))).Parameter?.Value;

  it('push then pull round-trips templates byte for byte, and never stores {{', async () => {
    const dir = tempDir();
    const files = {
      slack: ':wave: {{username}} raw={{{platform}}} literal {% kept %} 日本語 {{#if groups}}{{join groups "、"}}{{/if}}\n',
      'email-subject': '接続: {{truncate username 20}} from {{publicIp}}',
      'email-body': 'User {{username}}\n\tTabbed {{{commonName}}}\nTime {{formatDate time "Asia/Tokyo"}}\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.hbs`), text);

    const dry = await cli(['templates', 'push', '--path', PATH, '--dir', dir]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('3 template(s) would change; run again with --yes');
    expect(await storedValue('slack').catch(() => undefined)).toBeUndefined();

    const push = await cli(['templates', 'push', '--path', PATH, '--dir', dir, '--yes']);
    expect(push.code).toBe(0);
    expect(push.out).toContain(`${PATH}/slack: written (Standard tier)`);
    for (const name of Object.keys(files)) expect(await storedValue(name)).not.toMatch(/\{\{[\s\S]*\}\}/);
    expect(await storedValue('slack')).toBe(':wave: {%username%} raw={%{platform}%} literal \\{% kept %} 日本語 {%#if groups%}{%join groups "、"%}{%/if%}\n');

    const out = tempDir();
    const pull = await cli(['templates', 'pull', '--path', PATH, '--dir', out]);
    expect(pull.code).toBe(0);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(out, `${name}.hbs`), 'utf8')).toBe(text);

    const again = await cli(['templates', 'push', '--path', PATH, '--dir', out, '--yes']);
    expect(again.out).toContain('nothing to push');
  });

  it('push and pull cover every kind: kind folders map to the parameter names, --kind picks one', async () => {
    const path = '/cli/kinds';
    const files = {
      slack: 'connect {{username}}',
      'disconnect/slack': 'bye {{username}} after {{formatDuration durationSeconds}}',
      'disconnect/slack-blocks': '[ { "type": "section", "text": { "type": "mrkdwn", "text": "{{username}} left" } } ]\n',
      'connect-failed/email-subject': '{{#if handlerFault}}HANDLER{{/if}} {{default username "someone"}} failed',
    };
    const dir = templateDir(files);
    const push = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes']);
    expect(push.code).toBe(0);
    for (const name of Object.keys(files)) expect(push.out).toContain(`${path}/${name}: written (Standard tier)`);
    expect(await storedValue('disconnect/slack-blocks', path)).toBe('[ { "type": "section", "text": { "type": "mrkdwn", "text": "{%username%} left" } } ]\n');

    const out = tempDir();
    const pull = await cli(['templates', 'pull', '--path', path, '--dir', out, '--kind', 'disconnect']);
    expect(pull.code).toBe(0);
    expect(pull.out).toContain(`${path}/disconnect/slack-blocks -> ${join(out, 'disconnect', 'slack-blocks.hbs')}`);
    expect(pull.out).toContain(`${path}/disconnect/email-body: not in Parameter Store (the bundled default is used)`);
    expect(pull.out).not.toContain(`${path}/slack`);
    expect(readFileSync(join(out, 'disconnect', 'slack-blocks.hbs'), 'utf8')).toBe(files['disconnect/slack-blocks']);
    expect(readFileSync(join(out, 'disconnect', 'slack.hbs'), 'utf8')).toBe(files['disconnect/slack']);

    const all = tempDir();
    await cli(['templates', 'pull', '--path', path, '--dir', all]);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(all, `${name}.hbs`), 'utf8')).toBe(text);
    expect((await cli(['templates', 'push', '--path', path, '--dir', all])).out).toContain('nothing to push');

    const onlyFailed = await cli(['templates', 'push', '--path', path, '--dir', dir, '--kind', 'connect-failed']);
    expect(onlyFailed.out).toContain('1 template(s) checked (connect-failed/email-subject)');
    expect(onlyFailed.out).toContain(`${path}/connect-failed/email-subject: unchanged\nnothing to push`);
  });

  it('push refuses a blocks template that does not validate and writes nothing', async () => {
    const path = '/cli/blocks-refused';
    const dir = templateDir({ 'disconnect/slack': 'bye {{username}}', 'disconnect/slack-blocks': '[ { "type": "header", "text": { "type": "plain_text", "text": "{{username}}" } } ]' });
    const { code, out, err } = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes']);
    expect(code).toBe(1);
    expect(out).toMatch(/^error: disconnect\/slack-blocks: blocks\[0\]\.text: empty text/m);
    expect(err).toContain('push refused');
    expect(await storedValue('disconnect/slack', path).catch(() => 'absent')).toBe('absent');
  });

  it('validate --from-ssm --kind checks what is stored for that kind', async () => {
    const path = '/cli/from-ssm-kind';
    await putTemplate(aws, `${path}/connect-failed/slack`, ':x: {%{username}%} failed');
    await putTemplate(aws, `${path}/slack`, 'broken {%#if%}');
    const { code, out } = await cli(['templates', 'validate', '--from-ssm', '--path', path, '--kind', 'connect-failed']);
    expect(code).toBe(0);
    expect(out).toMatch(/^warning: connect-failed\/slack: event text reaches Slack unescaped/m);
    expect(out).toContain('1 template(s) checked (connect-failed/slack)');
    const none = await cli(['templates', 'validate', '--from-ssm', '--path', path, '--kind', 'disconnect']);
    expect(none.out).toBe(`no templates stored under ${path} for this --kind: the bundled defaults are used`);
  });

  it('push shows the diff against what is stored', async () => {
    await putTemplate(aws, `${PATH}/email-body`, 'line one\n{%username%}\nline three');
    const dir = tempDir();
    writeFileSync(join(dir, 'email-body.hbs'), 'line one\n{{upper username}}\nline three');
    const { code, out } = await cli(['templates', 'push', '--path', PATH, '--dir', dir]);
    expect(code).toBe(0);
    expect(out).toContain(`--- ${PATH}/email-body`);
    expect(out).toContain('- {{username}}\n+ {{upper username}}');
    expect(out).not.toContain('line one');
  });

  it('a template that does not validate is not pushed, and nothing else is written either', async () => {
    await putTemplate(aws, `${PATH}/slack`, 'before {%username%}');
    const dir = tempDir();
    writeFileSync(join(dir, 'slack.hbs'), 'after {{username}}');
    writeFileSync(join(dir, 'email-subject.hbs'), '{{nope username}}');
    const { code, err } = await cli(['templates', 'push', '--path', PATH, '--dir', dir, '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('push refused');
    expect(await storedValue('slack')).toBe('before {%username%}');
  });

  it('a value over 4 KB is pushed with the Advanced tier', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'email-body.hbs'), `{{username}}\n${'x'.repeat(5000)}`);
    const { code, out } = await cli(['templates', 'push', '--path', PATH, '--dir', dir, '--yes']);
    expect(code).toBe(0);
    expect(out).toContain(`${PATH}/email-body: written (Advanced tier)`);
    const parameter = await aws.ssm.send(new GetParameterCommand({ Name: `${PATH}/email-body` }));
    expect(parameter.Parameter?.Value?.length).toBeGreaterThan(5000);
  });

  it('push refuses a template Parameter Store would not give back as written, names it and its line, and writes nothing', async () => {
    const path = '/cli/ambiguous';
    await putTemplate(aws, `${path}/slack`, 'before {%username%}');
    const dir = templateDir({ slack: 'after {{username}}', 'email-body': 'Hello\n{{default username "50%}"}}\n' });
    const { code, out, err } = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes']);
    expect(code).toBe(1);
    expect(out).toMatch(/^error: email-body: line 2 would not read back as written/m);
    expect(err).toContain('push refused');
    expect(await storedValue('slack', path)).toBe('before {%username%}');
    expect(await storedValue('email-body', path).catch(() => 'absent')).toBe('absent');
  });

  it('a write failing part-way stops the push and says exactly which templates were written and which not', async () => {
    const path = '/cli/partial';
    const proxy = await ssmInterceptor(moto.url, async (operation, body) =>
      operation === 'PutParameter' && body.Name === `${path}/email-subject`
        ? { status: 400, type: 'AccessDeniedException', message: `not authorized to perform ssm:PutParameter on ${path}/email-subject` }
        : undefined,
    );
    try {
      const dir = templateDir({ slack: 'new slack {{username}}', 'email-subject': 'new subject {{username}}', 'email-body': 'new body {{username}}' });
      const { code, out, err } = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes'], { AWS_ENDPOINT_URL: proxy.url });
      expect(code).toBe(1);
      expect(out).toContain(`${path}/slack: written (Standard tier)`);
      expect(err).toContain(`error: cannot write ${path}/email-subject: AccessDeniedException`);
      expect(err).toContain(
        `push stopped part-way. Written: ${path}/slack. Not written: ${path}/email-subject (the write failed), ${path}/email-body (not attempted).`,
      );
      expect(await storedValue('slack', path)).toBe('new slack {%username%}');
      for (const name of ['email-subject', 'email-body']) expect(await storedValue(name, path).catch(() => 'absent')).toBe('absent');
    } finally {
      await proxy.close();
    }
  });

  it('with --yes, a stored value changed after the diff was read stops the push before anything is written', async () => {
    const path = '/cli/concurrent';
    await putTemplate(aws, `${path}/slack`, 'v1 {%username%}');
    let reads = 0;
    const proxy = await ssmInterceptor(moto.url, async (operation) => {
      // Between the diff's read and the re-read before writing, another operator pushes.
      if (operation === 'GetParameters' && ++reads === 2) await putTemplate(aws, `${path}/slack`, 'theirs {%username%}');
      return undefined;
    });
    try {
      const dir = templateDir({ slack: 'mine {{username}}', 'email-body': 'mine too {{username}}' });
      const { code, out, err } = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes'], { AWS_ENDPOINT_URL: proxy.url });
      expect(code).toBe(1);
      expect(out).toContain('- v1 {{username}}\n+ mine {{username}}');
      expect(err).toContain(`push stopped: ${path}/slack changed in Parameter Store after the diff above was read; nothing was written`);
      expect(out).not.toContain('written (');
      expect(await storedValue('slack', path)).toBe('theirs {%username%}');
      expect(await storedValue('email-body', path).catch(() => 'absent')).toBe('absent');
    } finally {
      await proxy.close();
    }
  });

  it('an Advanced parameter stays Advanced when the new value would fit in Standard', async () => {
    const path = '/cli/advanced';
    await aws.ssm.send(new PutParameterCommand({ Name: `${path}/email-body`, Value: `{%username%} ${'x'.repeat(5000)}`, Type: 'String', Tier: 'Advanced' }));
    const dir = templateDir({ 'email-body': 'short now {{username}}', slack: 'new {{username}}' });
    const { code, out } = await cli(['templates', 'push', '--path', path, '--dir', dir, '--yes']);
    expect(code).toBe(0);
    expect(out).toContain(`${path}/email-body: written (Advanced tier); it was Advanced already`);
    expect(out).toContain(`${path}/slack: written (Standard tier)\n`);
    const described = await aws.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [`${path}/email-body`, `${path}/slack`] }] }));
    expect(Object.fromEntries((described.Parameters ?? []).map((p) => [p.Name, p.Tier]))).toEqual({ [`${path}/email-body`]: 'Advanced', [`${path}/slack`]: 'Standard' });
    expect(await storedValue('email-body', path)).toBe('short now {%username%}');
  });

  it('validate --from-ssm checks what is stored', async () => {
    await putTemplate(aws, `${PATH}/slack`, 'broken {%#if%}');
    const { code, out } = await cli(['templates', 'validate', '--from-ssm', '--path', PATH]);
    expect(code).toBe(1);
    expect(out).toMatch(/error: slack: syntax error at line 1/);
    await deleteTemplate(aws, `${PATH}/slack`);
  });

  it('pull says which templates are not stored', async () => {
    const { code, out } = await cli(['templates', 'pull', '--path', '/cli/empty', '--dir', tempDir()]);
    expect(code).toBe(0);
    expect(out).toContain('/cli/empty/slack: not in Parameter Store (the bundled default is used)');
  });

  describe('routes', () => {
    const routesValue = async (name: string) => (await aws.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    const putRoutes = (name: string, value: string) => aws.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));

    it('pull writes the stored document as pretty JSON; a missing one is said, not written', async () => {
      const name = '/cli/routes/pull';
      await putRoutes(name, JSON.stringify(ROUTES_DOC));
      const file = join(tempDir(), 'routes.json');
      const pull = await cli(['routes', 'pull', '--name', name, '--file', file]);
      expect(pull.code).toBe(0);
      expect(pull.out).toBe(`${name} -> ${file}`);
      expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(ROUTES_DOC, null, 2)}\n`);

      const missing = await cli(['routes', 'pull', '--name', '/cli/routes/none', '--file', join(tempDir(), 'r.json')]);
      expect(missing.out).toContain('/cli/routes/none: not in Parameter Store (the functions use the built-in document)');
    });

    it('pull of an invalid stored document writes it and lists its errors', async () => {
      const name = '/cli/routes/pull-invalid';
      await putRoutes(name, '{"routes": [{"name": "x", "slack": {"mention": "@here"}}]}');
      const file = join(tempDir(), 'routes.json');
      const pull = await cli(['routes', 'pull', '--name', name, '--file', file]);
      expect(pull.code).toBe(0);
      expect(pull.err).toContain('warning: routes[0].slack.mention: must be <!here>');
      expect(pull.err).toContain('the functions log these errors and use the built-in document until it is fixed');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ routes: [{ name: 'x', slack: { mention: '@here' } }] });
    });

    it('push shows a diff with context, writes the file as written with --yes, and then finds nothing to push even when pulled back pretty', async () => {
      const name = '/cli/routes/push';
      await putRoutes(name, JSON.stringify({ ...ROUTES_DOC, default: { slack: { channel: 'C0OLD' } } }));
      const file = join(tempDir(), 'routes.json');
      const text = `${JSON.stringify(ROUTES_DOC, null, 1)}\n`;
      writeFileSync(file, text);

      const dry = await cli(['routes', 'push', '--name', name, '--file', file]);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(`--- ${name}\n…`);
      expect(dry.out).toContain('-       "channel": "C0OLD"\n+       "channel": "C0123"');
      expect(dry.out).toContain('the routes document would change; run again with --yes to write it');
      expect(await routesValue(name)).toContain('C0OLD');

      const push = await cli(['routes', 'push', '--name', name, '--file', file, '--yes']);
      expect(push.code).toBe(0);
      expect(push.out).toContain(`${name}: written (Standard tier)`);
      expect(await routesValue(name)).toBe(text);

      const pulled = join(tempDir(), 'routes.json');
      await cli(['routes', 'pull', '--name', name, '--file', pulled]);
      const again = await cli(['routes', 'push', '--name', name, '--file', pulled, '--yes']);
      expect(again.out).toBe(`${name}: unchanged\nnothing to push`);
      expect(await routesValue(name)).toBe(text);
    });

    it('push refuses an invalid document and writes nothing', async () => {
      const name = '/cli/routes/refused';
      await putRoutes(name, JSON.stringify(ROUTES_DOC));
      const file = join(tempDir(), 'routes.json');
      writeFileSync(file, JSON.stringify({ routes: [{ name: 'default' }] }));
      const { code, out, err } = await cli(['routes', 'push', '--name', name, '--file', file, '--yes']);
      expect(code).toBe(1);
      expect(out).toContain('error: routes[0].name: "default" is reserved for when no route matches');
      expect(err).toContain(`push refused: ${file} is not a valid routes document (1 error(s) above); nothing was written`);
      expect(await routesValue(name)).toBe(JSON.stringify(ROUTES_DOC));
    });

    it('push --yes stops when the parameter changed after the diff was read, and keeps an Advanced tier', async () => {
      const name = '/cli/routes/concurrent';
      await putRoutes(name, '{"routes": []}');
      let reads = 0;
      const proxy = await ssmInterceptor(moto.url, async (operation) => {
        if (operation === 'GetParameters' && ++reads === 2) await putRoutes(name, '{"routes": [], "default": {"email": false}}');
        return undefined;
      });
      const file = join(tempDir(), 'routes.json');
      writeFileSync(file, JSON.stringify(ROUTES_DOC));
      try {
        const { code, err } = await cli(['routes', 'push', '--name', name, '--file', file, '--yes'], { AWS_ENDPOINT_URL: proxy.url });
        expect(code).toBe(1);
        expect(err).toContain(`push stopped: ${name} changed in Parameter Store after the diff above was read; nothing was written`);
        expect(await routesValue(name)).toBe('{"routes": [], "default": {"email": false}}');
      } finally {
        await proxy.close();
      }

      const advanced = '/cli/routes/advanced';
      await aws.ssm.send(new PutParameterCommand({ Name: advanced, Value: JSON.stringify({ routes: [], pad: 'x'.repeat(5000) }), Type: 'String', Tier: 'Advanced' }));
      const { code, out } = await cli(['routes', 'push', '--name', advanced, '--file', file, '--yes']);
      expect(code).toBe(0);
      expect(out).toContain(`${advanced}: written (Advanced tier); it was Advanced already`);
    });

    it('validate --from-ssm reads ROUTES_PARAMETER from the shell', async () => {
      const name = '/cli/routes/env';
      await putRoutes(name, '{"routes": [{"name": "a", "when": {"endpoints": ["vpn-1"]}}]}');
      const { code, out } = await cli(['routes', 'validate', '--from-ssm'], { ROUTES_PARAMETER: name });
      expect(code).toBe(1);
      expect(out).toContain('error: routes[0].when.endpoints[0]: must be an endpoint ID (cvpn-endpoint-…), got a string ("vpn-1")');
    });

    it('test reads the stored document, and falls back to the built-in one as the functions do', async () => {
      const name = '/cli/routes/test';
      await putRoutes(name, JSON.stringify(ROUTES_DOC));
      const event = join(FIXTURES, '../event-v2.json');
      const stored = await cli(['routes', 'test', '--event', event, '--name', name]);
      expect(stored.code).toBe(0);
      expect(stored.out).toContain(`routes: ${name} (Parameter Store)`);
      expect(stored.out).toContain('slack: C0SECURITY, mention <!subteam^S0123ABC>');

      await putRoutes(name, '{"routes": "all"}');
      const invalid = await cli(['routes', 'test', '--event', event, '--name', name], { SLACK_CHANNEL: 'C0FALLBACK' });
      expect(invalid.code).toBe(0);
      expect(invalid.err).toContain('warning: routes: must be a list of routes, got a string ("all")');
      expect(invalid.out).toContain(`routes: ${name} is invalid: the built-in document`);
      expect(invalid.out).toContain('deciding route: default (the SNS attribute route="default")\nslack: C0FALLBACK (SLACK_CHANNEL), no mention\nemail: yes');

      const missing = await cli(['routes', 'test', '--event', join(FIXTURES, 'disconnect.json'), '--name', '/cli/routes/absent']);
      expect(missing.out).toContain('routes: /cli/routes/absent is not in Parameter Store: the built-in document');
      expect(missing.out).toContain('slack: SLACK_CHANNEL (not set in this shell), no mention\nemail: no');
    });
  });

  it('test-notification (the bin, in its own process) delivers to Slack and SNS and reports each', async () => {
    const topic = await topicWithQueue(aws, 'cli-test');
    const secret = await createSecret(aws, 'cli/slack', TOKEN);
    const config = { ...env, SNS_TOPIC_ARN: topic.topicArn, SLACK_TOKEN_SECRET_ID: secret, SLACK_CHANNEL: 'C0CLI', SLACK_API_URL: slack.apiUrl, TEMPLATE_PARAMETER_PATH: '/cli/none' };
    const ok = await spawnCli(['test-notification'], config);
    expect(ok.err.split('\n').filter((l) => l && !/^\(node:\d+\) Warning: NodeVersionSupportWarning|^(versions|will|To|and|More|\(Use)|^$/.test(l.trim()))).toEqual([]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^slack: sent in \d+ ms$/m);
    expect(ok.out).toMatch(/^email: sent in \d+ ms$/m);
    expect(slack.posts.map((p) => p.channel)).toEqual(['C0CLI']);
    expect(await drainTopic(aws, topic.queueUrl)).toHaveLength(1);
    expect(ok.out + ok.err).not.toContain(TOKEN);

    const broken = await spawnCli(['test-notification'], { ...config, SLACK_CHANNEL: 'C0CLI', SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:missing' });
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^email: failed \(NotFound/m);
  });
});
