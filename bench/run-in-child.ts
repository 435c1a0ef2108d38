// A benchmark step run in a child process (same tsx loader), so that the child's peak RSS is its
// own and not the benchmark's: the parent forks `moduleFile` with `args`, the child answers with
// one IPC message (its result) and exits 0.
import { fork } from 'node:child_process';

/** `extraExecArgv`: node flags beside the parent's own (e.g. a worker's young-generation size). */
export function runInChild<T>(moduleFile: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env, extraExecArgv: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(moduleFile, args, { execArgv: [...process.execArgv, ...extraExecArgv], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: T | null = null;
    child.on('message', (m) => (result = m as T));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result !== null ? resolve(result) : reject(new Error(`${what} exited ${code}`))));
  });
}
