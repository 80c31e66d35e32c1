/** Time as a dependency: pure logic takes a Clock instead of calling Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (at: Date | string): Clock => {
  const fixed = new Date(at);
  return { now: () => new Date(fixed) };
};
