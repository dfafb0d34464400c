"use client";

import { knowledgeUrlListSchema, MAX_KNOWLEDGE_UPLOAD_BYTES } from "@parley/contract";
import { Badge, Box, Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link2, Upload } from "lucide-react";
import { useRef, useState } from "react";
import { z } from "zod";
import { describeError, useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { useContractForm } from "../ui/form-controls";
import { FormField, TextAreaFormField } from "../ui/form-field";
import { toneColor } from "../ui/page";
import { toast } from "../ui/toast";
import { ACCEPTED_FILES, formatOfFile, type UploadFormat, urlsOf } from "./file-format";

/** How adding one file or URL went. */
interface Outcome {
  name: string;
  ok: boolean;
  text: string;
}

/** The file's content as the upload procedure takes it: text as is, PDF base64-encoded. */
function readFile(
  file: File,
  format: UploadFormat,
): Promise<{ content: string; encoding: "text" | "base64" }> {
  if (format !== "pdf") return file.text().then((content) => ({ content, encoding: "text" as const }));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve({ content: String(reader.result).replace(/^data:[^,]*,/, ""), encoding: "base64" });
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(file);
  });
}

function Outcomes({ outcomes, label }: { outcomes: Outcome[]; label: string }) {
  if (outcomes.length === 0) return null;
  return (
    <Box asChild mt="3" mb="0" pl="0" style={{ listStyle: "none" }}>
      <ul aria-label={label} data-testid={label.replace(/\s+/g, "-").toLowerCase()}>
        {outcomes.map((outcome) => (
          <Flex asChild key={outcome.name} gap="2" align="baseline" mb="1" wrap="wrap">
            <li>
              <Badge color={toneColor(outcome.ok ? "ok" : "danger")}>{outcome.ok ? "added" : "failed"}</Badge>
              <Text size="2" weight="bold">
                {outcome.name}
              </Text>
              <Text size="2" color={outcome.ok ? "gray" : "red"}>
                {outcome.text}
              </Text>
            </li>
          </Flex>
        ))}
      </ul>
    </Box>
  );
}

/** Says how a batch went, for whoever has moved on to something else meanwhile. */
function announce(outcomes: Outcome[], what: string) {
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  const added = outcomes.length - failed;
  if (failed === 0) toast.success(`${added} ${what} added to the knowledge base`);
  else toast.error(`${failed} of ${outcomes.length} ${what} could not be added`);
}

/** The files chosen for upload: at least one, each of a format the knowledge base indexes, none too large. */
const filesForm = z.object({
  files: z
    .array(z.custom<File>((value) => typeof File !== "undefined" && value instanceof File))
    .min(1, "choose one or more files")
    .superRefine((files, ctx) => {
      const unsupported = files
        .filter((file) => !formatOfFile(file.name, file.type))
        .map((file) => file.name);
      const tooLarge = files
        .filter((file) => file.size > MAX_KNOWLEDGE_UPLOAD_BYTES)
        .map((file) => file.name);
      if (unsupported.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `not text, Markdown, HTML or PDF: ${unsupported.join(", ")}`,
        });
      else if (tooLarge.length > 0)
        ctx.addIssue({ code: "custom", message: `larger than 10 MB: ${tooLarge.join(", ")}` });
    }),
});

function UploadFiles({ botId, onAdded }: { botId: string; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const input = useRef<HTMLInputElement>(null);
  const form = useContractForm(filesForm, { defaultValues: { files: [] } });
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const upload = useMutation(trpc.knowledge.upload.mutationOptions());
  const busy = form.formState.isSubmitting;
  return (
    <form
      aria-label="Upload documents"
      noValidate
      onSubmit={form.handleSubmit(async ({ files }) => {
        const results: Outcome[] = [];
        for (const file of files) {
          const format = formatOfFile(file.name, file.type) as UploadFormat;
          try {
            const { content, encoding } = await readFile(file, format);
            const { document, duplicate } = await upload.mutateAsync({
              botId,
              format,
              encoding,
              content,
              fileName: file.name,
            });
            results.push({
              name: file.name,
              ok: true,
              text: duplicate
                ? `already in the knowledge base (same content as "${document.title}")`
                : `"${document.title}" queued for indexing`,
            });
          } catch (error) {
            results.push({ name: file.name, ok: false, text: describeError(error).message });
          }
        }
        setOutcomes(results);
        announce(results, results.length === 1 ? "file" : "files");
        form.reset({ files: [] });
        if (input.current) input.current.value = "";
        await onAdded();
      })}
    >
      <Heading as="h2" size="3">
        Upload files
      </Heading>
      <FormField
        form={form}
        name="files"
        id="knowledge-files"
        label="Text, Markdown, HTML or PDF (up to 10 MB each)"
      >
        {({ value: _value, onChange, ref, ...control }) => (
          <input
            {...control}
            ref={(element) => {
              input.current = element;
              ref(element);
            }}
            type="file"
            multiple
            accept={ACCEPTED_FILES}
            onChange={(event) => onChange([...(event.target.files ?? [])])}
          />
        )}
      </FormField>
      <Flex mt="4">
        <Button type="submit" disabled={busy}>
          <Upload size={14} aria-hidden /> {busy ? "Uploading…" : "Upload and index"}
        </Button>
      </Flex>
      <Outcomes outcomes={outcomes} label="Upload results" />
    </form>
  );
}

/** The URL list as typed (one per line), checked as the list the contract takes (`urls`). */
const urlsForm = z.object({ text: z.string() }).superRefine(({ text }, ctx) => {
  const urls = urlsOf(text);
  const result = knowledgeUrlListSchema.shape.urls.safeParse(urls);
  const issue = result.error?.issues[0];
  if (!issue) return;
  const line = typeof issue.path[0] === "number" ? issue.path[0] : undefined;
  ctx.addIssue({
    code: "custom",
    path: ["text"],
    message:
      urls.length === 0
        ? "paste at least one URL"
        : line === undefined
          ? issue.message
          : `${issue.message}: ${urls[line]}`,
  });
});

function AddUrls({ botId, onAdded }: { botId: string; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const form = useContractForm(urlsForm, { defaultValues: { text: "" } });
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const add = useMutation(
    trpc.knowledge.addUrls.mutationOptions({
      onSuccess: async (results) => {
        const done = results.map((result) =>
          result.ok
            ? { name: result.url, ok: true, text: "queued for fetching and indexing" }
            : { name: result.url, ok: false, text: result.error },
        );
        setOutcomes(done);
        announce(done, done.length === 1 ? "URL" : "URLs");
        if (results.every((result) => result.ok)) form.reset({ text: "" });
        await onAdded();
      },
      onError: (error) => {
        // A URL's problem is the list's, with its line.
        const issue = Object.entries(issuesOf(error)).find(([path]) => path.startsWith("urls"));
        if (issue)
          form.setError("text", {
            message: `${issue[1]} (line ${Number(issue[0].split(".")[1] ?? 0) + 1})`,
          });
      },
    }),
  );
  const urlProblem = Object.keys(issuesOf(add.error)).some((path) => path.startsWith("urls"));
  return (
    <form
      aria-label="Add documents from URLs"
      noValidate
      onSubmit={form.handleSubmit(({ text }) => add.mutate({ botId, urls: urlsOf(text) }))}
    >
      <Heading as="h2" size="3">
        Add from URLs
      </Heading>
      <TextAreaFormField
        form={form}
        name="text"
        id="knowledge-urls"
        label="One URL per line (fetched now, through the platform's guarded HTTP client)"
        rows={3}
        placeholder="https://example.com/help/shipping"
      />
      <FormProblems error={urlProblem ? null : add.error} shown={[]} />
      <Flex mt="4">
        <Button type="submit" disabled={add.isPending}>
          <Link2 size={14} aria-hidden /> {add.isPending ? "Fetching…" : "Fetch and index"}
        </Button>
      </Flex>
      <Outcomes outcomes={outcomes} label="URL results" />
    </form>
  );
}

/** Adds documents to a bot's knowledge base: file uploads and URL lists, each with its outcome. */
export function AddDocuments({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  return (
    <Box asChild mb="2">
      <section aria-label="Add documents">
        <Card size="2">
          <Grid columns={{ initial: "1", md: "2" }} gap="6">
            <UploadFiles botId={botId} onAdded={refresh} />
            <AddUrls botId={botId} onAdded={refresh} />
          </Grid>
        </Card>
      </section>
    </Box>
  );
}
