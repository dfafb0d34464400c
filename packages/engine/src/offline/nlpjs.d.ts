/** The small part of @nlpjs (which ships no types) the offline NLU uses. */
declare module "@nlpjs/core" {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Promise<Container>;
}

declare module "@nlpjs/nlp" {
  import type { Container } from "@nlpjs/core";

  export interface NlpEntityMatch {
    entity: string;
    option?: string;
    sourceText?: string;
    utteranceText?: string;
  }

  export interface NlpResult {
    intent: string;
    score: number;
    entities: NlpEntityMatch[];
  }

  export class Nlp {
    constructor(settings: Record<string, unknown>, container: Container);
    addDocument(locale: string, utterance: string, intent: string): void;
    addNerRuleOptionTexts(locale: string, name: string, option: string, texts: string[]): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpResult>;
  }
}

declare module "@nlpjs/lang-en" {
  export const LangEn: unknown;
}
