// The @nlpjs packages ship no types; this is the part the inbox's sentiment uses.
declare module "@nlpjs/core" {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Container | Promise<Container>;
}
declare module "@nlpjs/lang-en" {
  export const LangEn: unknown;
}
declare module "@nlpjs/sentiment" {
  import type { Container } from "@nlpjs/core";
  export class SentimentAnalyzer {
    constructor(settings: { container: Container });
    process(input: { locale: string; text: string }): Promise<{ sentiment: { score: number; vote: string } }>;
  }
}
