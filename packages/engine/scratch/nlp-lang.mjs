import { containerBootstrap } from "@nlpjs/core";
import { Nlp } from "@nlpjs/nlp";
const container = await containerBootstrap();
const nlp = new Nlp({ autoSave: false, autoLoad: false, nlu: { log: false }, languages: ["de"] }, container);
for (const s of ["wo ist meine bestellung", "paket verfolgen"]) nlp.addDocument("de", s, "status");
for (const s of ["ich will mein geld zurück", "rückerstattung bitte"]) nlp.addDocument("de", s, "refund");
await nlp.train();
console.log(await nlp.process("de", "wo ist mein paket").then(r => [r.intent, r.score]));
