/**
 * `@parley/models/testing`: local servers speaking the providers' wire protocols, a PDF writer and
 * a small help-centre corpus, for tests of any package (the runtime's end-to-end tests included).
 */
export {
  type FakeBehavior,
  type FakeProtocol,
  type FakeProvider,
  type FakeProviderOptions,
  hashedEmbedding,
  type ReceivedRequest,
  startFakeProvider,
} from "./test-support/fake-provider-server";
export { unguardedTestFetcher } from "./test-support/fetch-url-fetcher";
export {
  HELP_CENTRE_QUESTIONS,
  helpCentreCorpus,
  UNANSWERABLE_QUESTIONS,
} from "./test-support/knowledge-corpus";
export { makePdf } from "./test-support/pdf-fixture";
