"use client";
import { Badge, Button } from "@radix-ui/themes";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link2, Upload } from "lucide-react";
import { useRef, useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { toneColor } from "../ui/page";
import { ACCEPTED_FILES, badUrls, formatOfFile, type UploadFormat, urlsOf } from "./file-format";

/** Largest file the studio sends (the server refuses larger ones too). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

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
    <ul className="outcomes" aria-label={label} data-testid={label.replace(/\s+/g, "-").toLowerCase()}>
      {outcomes.map((outcome) => (
        <li key={outcome.name}>
          <Badge color={toneColor(outcome.ok ? "ok" : "danger")}>{outcome.ok ? "added" : "failed"}</Badge>{" "}
          <b>{outcome.name}</b> <span className={outcome.ok ? "muted" : "error"}>{outcome.text}</span>
        </li>
      ))}
    </ul>
  );
}

function UploadFiles({ botId, onAdded }: { botId: string; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string | undefined>();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [busy, setBusy] = useState(false);
  const upload = useMutation(trpc.knowledge.upload.mutationOptions());
  return (
    <form
      aria-label="Upload documents"
      onSubmit={async (event) => {
        event.preventDefault();
        if (files.length === 0) return setFileError("choose one or more files");
        const unsupported = files
          .filter((file) => !formatOfFile(file.name, file.type))
          .map((file) => file.name);
        const tooLarge = files.filter((file) => file.size > MAX_FILE_BYTES).map((file) => file.name);
        if (unsupported.length > 0)
          return setFileError(`not text, Markdown, HTML or PDF: ${unsupported.join(", ")}`);
        if (tooLarge.length > 0) return setFileError(`larger than 10 MB: ${tooLarge.join(", ")}`);
        setFileError(undefined);
        setBusy(true);
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
        setBusy(false);
        setFiles([]);
        if (input.current) input.current.value = "";
        await onAdded();
      }}
    >
      <h3 className="form-title">Upload files</h3>
      <Field
        id="knowledge-files"
        label="Text, Markdown, HTML or PDF (up to 10 MB each)"
        error={fileError ?? issuesOf(upload.error).content}
      >
        <input
          ref={input}
          id="knowledge-files"
          type="file"
          multiple
          accept={ACCEPTED_FILES}
          onChange={(e) => {
            setFiles([...(e.target.files ?? [])]);
            setFileError(undefined);
          }}
          {...invalidProps("knowledge-files", fileError)}
        />
      </Field>
      <div className="form-actions">
        <Button type="submit" disabled={busy}>
          <Upload size={14} aria-hidden /> {busy ? "Uploading…" : "Upload and index"}
        </Button>
      </div>
      <Outcomes outcomes={outcomes} label="Upload results" />
    </form>
  );
}

/** What is wrong with a pasted URL list, if anything. */
function urlListProblem(text: string): string | undefined {
  const urls = urlsOf(text);
  const bad = badUrls(urls);
  if (urls.length === 0) return "paste at least one URL";
  if (bad.length > 0) return `not http(s) URLs: ${bad.join(", ")}`;
  if (urls.length > 20) return "at most 20 URLs at a time";
  return undefined;
}

function AddUrls({ botId, onAdded }: { botId: string; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [tried, setTried] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const add = useMutation(
    trpc.knowledge.addUrls.mutationOptions({
      onSuccess: async (results) => {
        setOutcomes(
          results.map((result) =>
            result.ok
              ? {
                  name: result.url,
                  ok: true,
                  text: "queued for fetching and indexing",
                }
              : { name: result.url, ok: false, text: result.error },
          ),
        );
        if (results.every((result) => result.ok)) {
          setText("");
          setTried(false);
        }
        await onAdded();
      },
    }),
  );
  const local = tried ? urlListProblem(text) : undefined;
  const serverIssues = issuesOf(add.error);
  const serverUrlError = Object.entries(serverIssues).find(([path]) => path.startsWith("urls"));
  const error =
    local ??
    (serverUrlError
      ? `${serverUrlError[1]} (line ${Number(serverUrlError[0].split(".")[1] ?? 0) + 1})`
      : undefined);
  return (
    <form
      aria-label="Add documents from URLs"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (!urlListProblem(text)) add.mutate({ botId, urls: urlsOf(text) });
      }}
    >
      <h3 className="form-title">Add from URLs</h3>
      <Field
        id="knowledge-urls"
        label="One URL per line (fetched now, through the platform's guarded HTTP client)"
        error={error}
      >
        <textarea
          id="knowledge-urls"
          rows={3}
          value={text}
          placeholder="https://example.com/help/shipping"
          onChange={(e) => {
            setText(e.target.value);
            if (add.error) add.reset();
          }}
          {...invalidProps("knowledge-urls", error)}
        />
      </Field>
      <FormProblems error={serverUrlError ? null : add.error} shown={[]} />
      <div className="form-actions">
        <Button type="submit" disabled={add.isPending}>
          <Link2 size={14} aria-hidden /> {add.isPending ? "Fetching…" : "Fetch and index"}
        </Button>
      </div>
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
    <section className="section" aria-label="Add documents">
      <div className="card two-col">
        <UploadFiles botId={botId} onAdded={refresh} />
        <AddUrls botId={botId} onAdded={refresh} />
      </div>
    </section>
  );
}
