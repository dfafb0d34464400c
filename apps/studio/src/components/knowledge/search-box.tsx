"use client";

import { knowledgeSearchInputSchema } from "@parley/contract";
import { Badge, Box, Button, Card, Flex, Text, TextField } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type ReactNode, useEffect, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../field";
import { applyServerErrorsWhere, useContractForm } from "../ui/form-controls";
import { FormField } from "../ui/form-field";
import { Section } from "../ui/section";

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

/** The retrieval test's question: the contract's search query. */
const searchForm = knowledgeSearchInputSchema.pick({ query: true });

/** Tests retrieval: the chunks a knowledge node would get for a question, ranked, with their source. */
export function SearchBox({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const [submitted, setSubmitted] = useState("");
  const form = useContractForm(searchForm, { defaultValues: { query: "" } });
  const hits = useQuery(
    trpc.knowledge.search.queryOptions({ botId, query: submitted, limit: 8 }, { enabled: submitted !== "" }),
  );
  useEffect(() => {
    if (hits.error) applyServerErrorsWhere(form, hits.error, /^query$/);
  }, [hits.error, form]);
  return (
    <Section id="search" title="Test retrieval">
      <Card size="2">
        <form
          aria-label="Search the knowledge base"
          noValidate
          onSubmit={form.handleSubmit(({ query }) => {
            setSubmitted(query);
            if (query === submitted) void hits.refetch();
          })}
        >
          <FormField
            form={form}
            name="query"
            id="knowledge-query"
            label="A question a customer might ask"
            help="ranked by the share of the question's words a chunk contains, then by full-text rank"
          >
            {({ value, onChange, ref, ...control }) => (
              <Flex gap="2">
                <Box flexGrow="1">
                  <TextField.Root
                    {...control}
                    ref={ref as never}
                    value={(value as string | undefined) ?? ""}
                    placeholder="How long does delivery take?"
                    onChange={(event) => onChange(event.target.value)}
                  />
                </Box>
                <Button type="submit" disabled={hits.isFetching}>
                  <Search size={14} aria-hidden /> Search
                </Button>
              </Flex>
            )}
          </FormField>
          <FormProblems error={hits.error} shown={["query"]} />
        </form>
        {hits.data && hits.data.length === 0 && (
          <Text as="p" size="2" color="gray" mt="3" data-testid="no-hits">
            No chunk matches “{submitted}”: a knowledge node would take its no-answer branch.
          </Text>
        )}
        {hits.data && hits.data.length > 0 && (
          <ol className="hits" aria-label="Matching chunks" data-testid="hits">
            {hits.data.map((hit, index) => (
              <li key={hit.chunkId} className="hit">
                <div className="hit-head">
                  <span className="hit-rank">#{index + 1}</span>
                  <b>{hit.title}</b>
                  {hit.heading && <Text color="gray">› {hit.heading}</Text>}
                  {hit.page && <Badge color="gray">page {hit.page}</Badge>}
                  <Box flexGrow="1" />
                  <Badge
                    color={hit.score >= 0.5 ? "green" : "amber"}
                    title="the share of the question's search terms this chunk contains; knowledge nodes answer from 0.5 up by default"
                  >
                    score {hit.score.toFixed(2)}
                  </Badge>
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
      </Card>
    </Section>
  );
}
