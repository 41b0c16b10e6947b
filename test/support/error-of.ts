/** A class of error, for errorOf and rejectionOf (abstract ones too: CostbenchError). */
type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error `fn` throws, which must be an `E` (any other error is thrown on); fails when it throws nothing. */
export function errorOf<E>(fn: () => unknown, type: ErrorClass<E>): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The error `work` rejects with, which must be an `E` (any other is thrown on); fails when it resolves. */
export async function rejectionOf<E>(
  work: Promise<unknown> | (() => Promise<unknown>),
  type: ErrorClass<E>,
): Promise<E> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
