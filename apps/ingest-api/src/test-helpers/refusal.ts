import { RequestError } from '../errors';

/** The RequestError `act` throws; fails the test when it throws nothing or something else. */
export function refusal(act: () => unknown): RequestError {
  try {
    act();
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('expected a RequestError');
}
