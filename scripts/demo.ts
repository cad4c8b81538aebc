/**
 * npm run demo — loads the demo organization (集团 with a thermal power plant, a coal mine and a
 * power-supply company; a few hundred people) into an EMPTY database: SQLite under
 * LIAISON_DATA_DIR (default ./data) or DATABASE_URL, exactly as the server would open it.
 * Then writes a handful of work contact forms in varied states through the cases service.
 * Prints the demo logins with one-time passwords generated for this run (each must be changed at first login), and the exact command that starts the
 * server on the data it filled. Exit code 1 when refused or failed.
 */
import { openLiaison } from '../src/server/bootstrap.js';
import { DemoRefusedError, loadDemo, startCommand } from '../src/server/modules/demo/index.js';
import { ManualClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';

/** Width in a terminal: CJK characters take two columns. */
const width = (s: string) =>
  [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const FORM_STATE_LABELS: Record<string, string> = {
  draft: '草稿 draft',
  pending_issue: '待签发 awaiting issue',
  awaiting_sign: '待签收 awaiting sign',
  overdue: '签收逾期 sign overdue',
  in_progress: '办理中 in progress',
  replied: '已回复待销号 replied',
  closed: '已销号 closed',
};

async function main(): Promise<number> {
  const config = loadConfig();
  const started = Date.now();
  // The demo plays its forms' history forward from a month back to now on this clock (see loadDemo).
  const clock = new ManualClock(new Date());
  const services = await openLiaison(config, { clock });
  try {
    const result = await loadDemo(services, { clock });
    console.log(
      `已装入演示数据 / demo data loaded: ${result.organization} — ${result.units} 个单位 units, ${result.people} 名人员 people (${services.db.describe}, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    console.log(
      table(
        ['用户名 username', '密码 password', '姓名 name', '角色 role', '单位 unit'],
        result.logins.map((l) => [l.username, l.password, l.name, l.role, l.unit]),
      ),
    );
    const states = new Map<string, number>();
    for (const f of result.forms) states.set(f.target, (states.get(f.target) ?? 0) + 1);
    const todo = [...new Set(result.forms.flatMap((f) => (f.awaits ? [f.awaits] : [])))];
    console.log(
      `\n工作联系单 contact forms: ${result.forms.length} (${[...states].map(([k, n]) => `${FORM_STATE_LABELS[k] ?? k} ${n}`).join('，')})；有待办的用户 logins with 待办: ${todo.join(', ')}`,
    );
    console.log(
      '\n密码只显示这一次，请妥善保存；这些是一次性密码，每个账号首次登录时都须修改密码。\n' +
        'The passwords are shown only this once; they are one-time passwords: each login is asked to choose a new password at first login.',
    );
    const start = startCommand(config);
    console.log(`\n启动（在本项目目录中运行）/ start it (in this checkout):\n\n  ${start.command}\n\n然后打开 / then open ${start.url}`);
    return 0;
  } catch (err) {
    if (err instanceof DemoRefusedError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await services.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`演示数据装入失败 / demo load failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
