import { expect } from "vitest";
import { ServiceError } from "../errors";

/** The ServiceError `promise` rejects with (for tests to check its code or kind); fails otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error("expected a ServiceError");
}
