import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { shellWord, startCommand } from './start-command.js';

describe('the start command npm run demo prints for the data it filled', () => {
  it('names the data directory as an absolute path, also when it was given relative or by default', () => {
    expect(startCommand(loadConfig({ LIAISON_DATA_DIR: '/srv/liaison/data' }))).toEqual({
      command: 'LIAISON_DATA_DIR=/srv/liaison/data npm start',
      url: 'http://localhost:3000',
    });
    expect(startCommand(loadConfig({})).command).toBe(`LIAISON_DATA_DIR=${process.cwd()}/data npm start`);
    expect(startCommand(loadConfig({ LIAISON_DATA_DIR: 'demo-data' })).command).toBe(`LIAISON_DATA_DIR=${process.cwd()}/demo-data npm start`);
  });

  it('carries the PostgreSQL URL and schema, and the port when it is not 3000', () => {
    const config = loadConfig({ LIAISON_DATA_DIR: '/d', DATABASE_URL: 'postgres://u@db:5432/liaison', LIAISON_PG_SCHEMA: 'demo', PORT: '8080' });
    expect(startCommand(config)).toEqual({
      command: 'LIAISON_DATA_DIR=/d DATABASE_URL=postgres://u@db:5432/liaison LIAISON_PG_SCHEMA=demo PORT=8080 npm start',
      url: 'http://localhost:8080',
    });
  });

  it('quotes what a shell would split or expand, so the printed line runs as is', () => {
    const dir = "/tmp/演示 数据/it's $HOME";
    const { command } = startCommand(loadConfig({ LIAISON_DATA_DIR: dir }));
    expect(command).toBe(`LIAISON_DATA_DIR='/tmp/演示 数据/it'\\''s $HOME' npm start`);
    // The shell reads the same directory back.
    const echoed = execFileSync('sh', ['-c', `${command.replace(/ npm start$/, '')} sh -c 'printf %s "$LIAISON_DATA_DIR"'`], { encoding: 'utf8' });
    expect(echoed).toBe(dir);
    expect(shellWord('postgres://u:p@h/db?sslmode=require')).toBe("'postgres://u:p@h/db?sslmode=require'");
  });
});
