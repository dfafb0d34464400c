/// <reference path="./nlpjs.d.ts" />
import { containerBootstrap } from "@nlpjs/core";
import { LangEn } from "@nlpjs/lang-en";
import { Nlp } from "@nlpjs/nlp";
import type { NluEntity, NluEntityMatch, NluPort, NluRequest, NluResult } from "../ports/nlu";
import { nluRequestSchema } from "../ports/nlu";
import { hash53 } from "../util/hash";

/** Options of {@link createOfflineNlu}. */
export interface OfflineNluOptions {
  /** Trained models kept in memory (least recently used are dropped). Default 50. */
  maxModels?: number;
}

/** An offline NLU port plus a way to see how often it trained (for tests and diagnostics). */
export interface OfflineNlu extends NluPort {
  /** How many models were trained so far. */
  readonly trainings: number;
}

/** The nlpjs locale: its two-letter language (English gets the English stemmer). */
function localeOf(language: string): string {
  return language.slice(0, 2).toLowerCase();
}

async function train(request: ReturnType<typeof nluRequestSchema.parse>): Promise<Nlp> {
  const container = await containerBootstrap();
  const locale = localeOf(request.language);
  if (locale === "en") container.use(LangEn);
  // autoSave/autoLoad off: nlpjs would otherwise read and write model.nlp in the working directory.
  const nlp = new Nlp(
    { autoSave: false, autoLoad: false, nlu: { log: false }, languages: [locale], forceNER: true },
    container,
  );
  for (const intent of request.intents) {
    for (const example of intent.examples) nlp.addDocument(locale, example, intent.name);
  }
  for (const entity of request.entities) {
    for (const [value, synonyms] of Object.entries(entity.values ?? {})) {
      nlp.addNerRuleOptionTexts(locale, entity.name, value, synonyms.length > 0 ? synonyms : [value]);
    }
  }
  await nlp.train();
  return nlp;
}

/** Pattern entities are matched here (patterns come from the engine's built-in entity types). */
function patternMatches(entities: readonly NluEntity[], text: string): NluEntityMatch[] {
  const matches: NluEntityMatch[] = [];
  for (const entity of entities) {
    if (!entity.pattern) continue;
    const found = new RegExp(entity.pattern, "i").exec(text);
    if (found) matches.push({ name: entity.name, value: found[0].trim(), text: found[0] });
  }
  return matches;
}

/**
 * An NLU port that runs offline with @nlpjs: it trains a classifier from the request's intent
 * examples (and list entities) the first time it sees them, and caches the model by a hash of
 * the language, intents and entities, so a flow trains once per process. Built-in pattern
 * entities are matched with their regular expressions.
 */
export function createOfflineNlu(options: OfflineNluOptions = {}): OfflineNlu {
  const maxModels = options.maxModels ?? 50;
  const models = new Map<string, Promise<Nlp>>();
  let trainings = 0;

  function modelFor(request: ReturnType<typeof nluRequestSchema.parse>): Promise<Nlp> {
    const key = hash53(JSON.stringify([request.language, request.intents, request.entities]));
    let model = models.get(key);
    if (model) {
      models.delete(key); // re-insert: most recently used last
    } else {
      trainings += 1;
      model = train(request);
      // A failed training is not cached: the next call tries again.
      model.catch(() => models.delete(key));
      if (models.size >= maxModels) {
        const oldest = models.keys().next().value;
        if (oldest !== undefined) models.delete(oldest);
      }
    }
    models.set(key, model);
    return model;
  }

  return {
    get trainings() {
      return trainings;
    },
    async classify(input: NluRequest, { signal }): Promise<NluResult> {
      const request = nluRequestSchema.parse(input);
      signal.throwIfAborted();
      const nlp = await modelFor(request);
      signal.throwIfAborted();
      const processed = await nlp.process(localeOf(request.language), request.text);
      const known = request.intents.some((intent) => intent.name === processed.intent);
      const score = Math.max(0, Math.min(1, processed.score ?? 0));
      const listMatches: NluEntityMatch[] = processed.entities
        .filter((match) => request.entities.some((entity) => entity.name === match.entity && entity.values))
        .map((match) => ({
          name: match.entity,
          value: match.option ?? match.sourceText ?? "",
          text: match.sourceText ?? match.utteranceText ?? "",
        }));
      return {
        intent: known && score >= request.threshold ? processed.intent : null,
        score: known ? score : 0,
        entities: [...listMatches, ...patternMatches(request.entities, request.text)],
      };
    },
  };
}
