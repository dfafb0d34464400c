"use client";
import { Badge, Card, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { ConfirmButton } from "../ui/confirm-dialog";
import { toneColor } from "../ui/page";
import { Section } from "../ui/section";
import { formatBytes } from "./file-format";

const STATUS_BADGE = { ready: "ok", indexing: "warn", pending: "warn", failed: "danger" } as const;
const SOURCE_LABEL = { text: "Text", markdown: "Markdown", html: "HTML", pdf: "PDF", url: "URL" } as const;

/** A bot's documents with their indexing status and chunk count; polls while any is being indexed. */
export function DocumentsTable({ botId, canWrite }: { botId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const documents = useQuery(
    trpc.knowledge.list.queryOptions(
      { botId },
      {
        refetchInterval: (query) =>
          query.state.data?.some((d) => d.status === "pending" || d.status === "indexing") ? 2_000 : false,
      },
    ),
  );
  const remove = useMutation(
    trpc.knowledge.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() }),
    }),
  );
  const ready = documents.data?.filter((d) => d.status === "ready") ?? [];
  const chunks = ready.reduce((sum, d) => sum + d.chunkCount, 0);
  return (
    <Section
      id="documents"
      title="Documents"
      actions={
        documents.data && (
          <Text size="2" color="gray">
            {ready.length} indexed · {chunks} chunk{chunks === 1 ? "" : "s"}
          </Text>
        )
      }
    >
      <FormError error={documents.error ?? remove.error} />
      {documents.data?.length === 0 ? (
        <Card variant="surface">
          <Text as="p" size="2" color="gray" align="center">
            No documents yet. {canWrite ? "Upload files or add URLs above." : ""}
          </Text>
        </Card>
      ) : (
        <Table.Root variant="surface">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Title</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Type</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Chunks</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Size</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Added</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>
                <span className="sr-only">Actions</span>
              </Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {documents.data?.map((document) => (
              <Table.Row key={document.id} data-testid={`document-${document.title}`}>
                <Table.Cell>
                  <b>{document.title}</b>
                  {document.sourceUrl && (
                    <div>
                      <a
                        className="truncate"
                        href={document.sourceUrl}
                        target="_blank"
                        rel="noreferrer noopener"
                      >
                        {document.sourceUrl}
                      </a>
                    </div>
                  )}
                  {document.error && (
                    <Text as="p" size="1" color="red">
                      {document.error}
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell>{SOURCE_LABEL[document.source]}</Table.Cell>
                <Table.Cell>
                  <Badge color={toneColor(STATUS_BADGE[document.status])}>{document.status}</Badge>
                </Table.Cell>
                <Table.Cell className="num">{document.chunkCount}</Table.Cell>
                <Table.Cell className="num">{formatBytes(document.byteSize)}</Table.Cell>
                <Table.Cell className="muted">{new Date(document.createdAt).toLocaleString()}</Table.Cell>
                <Table.Cell className="actions">
                  {canWrite && (
                    <ConfirmButton
                      aria-label={`Delete ${document.title}`}
                      title={`Delete "${document.title}"?`}
                      description="The document and its chunks leave the knowledge base; answers stop citing it."
                      confirmLabel="Delete document"
                      onConfirm={() => remove.mutateAsync({ botId, documentId: document.id })}
                    >
                      Delete
                    </ConfirmButton>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
    </Section>
  );
}
