"use client";
import { Badge, Button } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type ReactNode, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";

/** Words too common to be worth marking (search ignores them too). */
const COMMON = new Set(
  "the and for can you your are was how what does did with this that from have any not but its our who why when where which will into about there".split(
    " ",
  ),
);

/** `text` with the query's words (3+ letters, any case, word prefixes) marked. */
function highlight(text: string, query: string): ReactNode[] {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [])].filter(
    (w) => !COMMON.has(w),
  );
  if (words.length === 0) return [text];
  const pattern = new RegExp(
    `(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`,
    "giu",
  );
  // Keys are character offsets: stable for a given text, unique within it.
  let offset = 0;
  return text.split(pattern).map((part, index) => {
    const at = offset;
    offset += part.length;
    return index % 2 === 1 ? <mark key={`at-${at}`}>{part}</mark> : part;
  });
}

/** Tests retrieval: the chunks a knowledge node would get for a question, ranked, with their source. */
export function SearchBox({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [submitted, setSubmitted] = useState("");
  const [tried, setTried] = useState(false);
  const hits = useQuery(
    trpc.knowledge.search.queryOptions({ botId, query: submitted, limit: 8 }, { enabled: submitted !== "" }),
  );
  const error =
    tried && !text.trim() ? "type a question or some words to search for" : issuesOf(hits.error).query;
  return (
    <section className="section" aria-labelledby="search-title">
      <div className="section-head">
        <h2 id="search-title">Test retrieval</h2>
      </div>
      <div className="card">
        <form
          aria-label="Search the knowledge base"
          onSubmit={(event) => {
            event.preventDefault();
            const query = text.trim();
            setTried(true);
            if (query) {
              setSubmitted(query);
              if (query === submitted) void hits.refetch();
            }
          }}
        >
          <Field
            id="knowledge-query"
            label="A question a customer might ask"
            error={error}
            hint="ranked by the share of the question's words a chunk contains, then by full-text rank"
          >
            <div className="row">
              <input
                id="knowledge-query"
                value={text}
                placeholder="How long does delivery take?"
                onChange={(e) => setText(e.target.value)}
                {...invalidProps("knowledge-query", error)}
              />
              <Button type="submit">
                <Search size={14} aria-hidden /> Search
              </Button>
            </div>
          </Field>
          <FormProblems error={hits.error} shown={["query"]} />
        </form>
        {hits.data && hits.data.length === 0 && (
          <p className="muted" data-testid="no-hits">
            No chunk matches “{submitted}”: a knowledge node would take its no-answer branch.
          </p>
        )}
        {hits.data && hits.data.length > 0 && (
          <ol className="hits" aria-label="Matching chunks" data-testid="hits">
            {hits.data.map((hit, index) => (
              <li key={hit.chunkId} className="hit">
                <div className="hit-head">
                  <span className="hit-rank">#{index + 1}</span>
                  <b>{hit.title}</b>
                  {hit.heading && <span className="muted">› {hit.heading}</span>}
                  {hit.page && <Badge color="gray">page {hit.page}</Badge>}
                  <span className="spacer" />
                  <span
                    className={`badge ${hit.score >= 0.5 ? "ok" : "warn"}`}
                    title="the share of the question's search terms this chunk contains; knowledge nodes answer from 0.5 up by default"
                  >
                    score {hit.score.toFixed(2)}
                  </span>
                </div>
                <p>{highlight(hit.content, submitted)}</p>
                {hit.sourceUrl && (
                  <div style={{ marginTop: 6 }}>
                    <a href={hit.sourceUrl} target="_blank" rel="noreferrer noopener" className="truncate">
                      {hit.sourceUrl}
                    </a>
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
