"use client";

import { nodeCatalog } from "@parley/flow-schema";
import { Badge, Button, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import "../manage/home.css";
import { TemplatePreview } from "./template-preview";

/**
 * The starter templates as cards: a picture of the flow, what it does, how many nodes of which kinds,
 * and "Use template". With `botId` it adds the flow to that bot; without, it creates a bot named after
 * the template with the flow as its entry. Either way the designer opens on the new flow.
 */
export function TemplateGallery({ botId }: { botId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.flows.templates.queryOptions());
  const [using, setUsing] = useState<string | null>(null);
  const createBot = useMutation(trpc.bots.create.mutationOptions());
  const createFlow = useMutation(trpc.flows.create.mutationOptions());
  const use = useMutation({
    mutationFn: async (template: { id: string; name: string }) => {
      const targetBot = botId ?? (await createBot.mutateAsync({ name: template.name })).id;
      const flow = await createFlow.mutateAsync({
        botId: targetBot,
        name: template.name,
        source: { type: "template", templateId: template.id },
      });
      return { botId: targetBot, flowId: flow.id };
    },
    onSuccess: ({ botId: target, flowId }) => router.push(`/bots/${target}/flows/${flowId}`),
    onSettled: () => setUsing(null),
  });
  return (
    <>
      <FormError error={templates.error ?? use.error} />
      <div className="template-grid" data-testid="template-gallery">
        {templates.isPending &&
          [0, 1, 2].map((n) => <Card key={n} className="skeleton" style={{ height: 260 }} aria-hidden />)}
        {templates.data?.map((template) => (
          <Card key={template.id} data-testid={`template-${template.id}`}>
            <Flex direction="column" gap="2" style={{ height: "100%" }}>
              <TemplatePreview preview={template.preview} />
              <Heading as="h2" size="3">
                {template.name}
              </Heading>
              <Text size="2" color="gray" style={{ flex: 1 }}>
                {template.description || "A starter flow."}
              </Text>
              <Flex gap="1" wrap="wrap" aria-label="Node kinds">
                <Badge color="gray" data-testid="node-count">
                  {template.nodeCount} nodes
                </Badge>
                {template.kinds
                  .filter((kind) => kind !== "start" && kind !== "end")
                  .slice(0, 5)
                  .map((kind) => (
                    <Badge key={kind} variant="soft">
                      {nodeCatalog[kind as keyof typeof nodeCatalog]?.label ?? kind}
                    </Badge>
                  ))}
              </Flex>
              <Button
                onClick={() => {
                  setUsing(template.id);
                  use.mutate(template);
                }}
                disabled={use.isPending}
                aria-label={`Use template ${template.name}`}
              >
                {using === template.id ? "Creating…" : "Use template"}
              </Button>
            </Flex>
          </Card>
        ))}
      </div>
    </>
  );
}
