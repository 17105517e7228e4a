/** A one-line progress counter on stderr, shown only on a TTY (never in CI logs or pipes). */
export const progressReporter = (label: string, stream: NodeJS.WriteStream = process.stderr) => {
  const active = stream.isTTY === true && !process.env.CI;
  let last = 0;
  let shown = false;
  return {
    update: (done: number, total: number) => {
      const now = Date.now();
      if (!active || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      stream.write(`\r${label} ${done}/${total}`);
    },
    done: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
};
