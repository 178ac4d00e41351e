import { CoalescedPasses } from '../../src/runtime/coalesced-passes';

/** A pass that waits until the test lets it finish. */
function gatedPasses() {
  const gates: (() => void)[] = [];
  const errors: unknown[] = [];
  let fail = false;
  const passes = new CoalescedPasses(
    () =>
      new Promise<void>((resolve, reject) => {
        gates.push(() => (fail ? reject(new Error('pass failed')) : resolve()));
      }),
    (error) => errors.push(error),
  );
  const finishPass = async () => {
    gates[gates.length - 1]();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { passes, gates, errors, finishPass, failNext: () => (fail = true) };
}

describe('coalesced passes', () => {
  it('run one pass per kick when idle, and one more for any number of kicks during a pass', async () => {
    const { passes, gates, finishPass } = gatedPasses();
    passes.kick();
    expect(gates).toHaveLength(1);
    passes.kick();
    passes.kick();
    passes.kick();
    expect(passes.kickedAgain).toBe(true);
    expect(gates).toHaveLength(1); // never two side by side
    await finishPass();
    expect(gates).toHaveLength(2);
    await finishPass();
    await passes.idle();
    expect(gates).toHaveLength(2);
  });

  it('start no pass after stop, and stop resolves when the pass under way ends', async () => {
    const { passes, gates, finishPass } = gatedPasses();
    passes.kick();
    passes.kick();
    let stopped = false;
    const stopping = passes.stop().then(() => (stopped = true));
    expect(passes.stopping).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    await finishPass();
    await stopping;
    passes.kick();
    expect(gates).toHaveLength(1);
  });

  it('report a failed pass and start again on the next kick', async () => {
    const { passes, gates, errors, finishPass, failNext } = gatedPasses();
    failNext();
    passes.kick();
    await finishPass();
    await passes.idle();
    expect(errors).toEqual([new Error('pass failed')]);
    passes.kick();
    expect(gates).toHaveLength(2);
  });
});
