"use client";

import { saveRouteSchema } from "@parley/contract";
import { Button, Card, Flex, Grid, Heading } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { type UseFormReturn, useFieldArray } from "react-hook-form";
import type { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import {
  applyServerErrorsWhere,
  CheckboxField,
  type Choice,
  ChoiceCards,
  FieldError,
  NumberFormField,
  useContractForm,
} from "../ui/form-controls";
import { TextFormField } from "../ui/form-field";
import { toast } from "../ui/toast";
import { TargetList } from "./target-list";
import type { DefaultPrice, PolicyInput, RouteRow } from "./types";

const STRATEGIES: Choice<NonNullable<PolicyInput["strategy"]>>[] = [
  { value: "fallback", label: "Fallback", hint: "try the targets in the order listed" },
  { value: "cost", label: "Cheapest first", hint: "by the price table, among targets that fit the call" },
  { value: "latency", label: "Fastest first", hint: "by the moving average of observed latency" },
];

/** A route as the editor edits it: the contract's input, with its defaults optional. */
export type RouteValues = z.input<typeof saveRouteSchema>;
/** The route editor's form. */
export type RouteForm = UseFormReturn<RouteValues, unknown, z.output<typeof saveRouteSchema>>;

/** The route's fields the editor shows (the server's problems elsewhere go to the banner). */
const ROUTE_FIELDS =
  /^(name|description|policy\.targets|policy\.timeoutMs|policy\.retry\.attempts|policy\.cache\.ttlSeconds|policy\.targets\.\d+\.(provider|model|contextTokens))$/;

function valuesOf(route: RouteRow | undefined, firstProvider: string): RouteValues {
  if (route)
    return {
      id: route.id,
      name: route.name,
      description: route.description,
      policy: route.policy,
      isDefault: route.isDefault,
    };
  return {
    name: "",
    description: "",
    policy: {
      strategy: "fallback",
      targets: [{ provider: firstProvider, model: "", contextTokens: 8192, json: true, tools: false }],
      timeoutMs: 30_000,
      retry: { attempts: 2 },
      cache: { enabled: false, ttlSeconds: 3_600 },
      pii: { enabled: false },
    },
    isDefault: false,
  };
}

/**
 * Creates or edits a route: name, strategy, the ordered targets (drag or move buttons), timeout,
 * retries, caching, PII masking and whether it is the workspace's default.
 */
export function RouteEditor({
  route,
  providers,
  defaults,
  onDone,
}: {
  route: RouteRow | undefined;
  providers: string[];
  defaults: DefaultPrice[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useContractForm(saveRouteSchema, {
    defaultValues: valuesOf(route, providers[0] ?? "offline"),
  });
  const save = useMutation(
    trpc.models.saveRoute.mutationOptions({
      onSuccess: async (_, input) => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        toast.success(`Route ${input.name} saved`);
        onDone();
      },
      onError: (error) => applyServerErrorsWhere(form, error, ROUTE_FIELDS),
    }),
  );
  const targets = useFieldArray({ control: form.control, name: "policy.targets" });
  const [strategy, cache] = form.watch(["policy.strategy", "policy.cache.enabled"]);
  const modelSuggestions = (provider: string) => {
    const models = defaults.filter((price) => price.provider === provider).map((price) => price.model);
    return provider === "offline" ? ["offline"] : models.length > 0 ? models : defaults.map((p) => p.model);
  };
  return (
    <Card size="2" mb="3" asChild>
      <form
        aria-label={route ? `Edit route ${route.name}` : "New route"}
        noValidate
        onSubmit={form.handleSubmit((values) =>
          save.mutate({
            ...values,
            name: values.name.trim(),
            description: values.description?.trim(),
            policy: {
              ...values.policy,
              targets: values.policy.targets.map((target) => ({ ...target, model: target.model.trim() })),
            },
          }),
        )}
      >
        <Heading as="h3" size="3">
          {route ? `Edit route ${route.name}` : "New route"}
        </Heading>
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          <TextFormField
            form={form}
            name="name"
            id="route-name"
            label="Name"
            help='llm nodes name it; "default" replaces the built-in default'
            placeholder="e.g. main"
          />
          <TextFormField
            form={form}
            name="description"
            id="route-description"
            label="Description (optional)"
          />
        </Grid>
        <ChoiceCards
          label="Routing policy"
          value={strategy ?? "fallback"}
          onChange={(next) => form.setValue("policy.strategy", next)}
          choices={STRATEGIES}
          columns={{ initial: "1", sm: "3" }}
        />
        <TargetList form={form} targets={targets} providers={providers} modelSuggestions={modelSuggestions} />
        <FieldError form={form} name="policy.targets" />
        <Button
          variant="soft"
          color="gray"
          type="button"
          mt="2"
          onClick={() =>
            targets.append({
              provider: providers[0] ?? "offline",
              model: "",
              contextTokens: 8192,
              json: true,
              tools: false,
            })
          }
        >
          <Plus size={14} aria-hidden /> Add target
        </Button>
        <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
          <NumberFormField
            form={form}
            name="policy.timeoutMs"
            id="route-timeout"
            label="Timeout per attempt (ms)"
            inputMode="numeric"
          />
          <NumberFormField
            form={form}
            name="policy.retry.attempts"
            id="route-attempts"
            label="Tries per target"
            help="retries back off and honour Retry-After"
            inputMode="numeric"
          />
          <NumberFormField
            form={form}
            name="policy.cache.ttlSeconds"
            id="route-ttl"
            label="Cache answers for (s)"
            inputMode="numeric"
            disabled={!cache}
          />
        </Grid>
        <Flex direction="column" mt="2">
          <CheckboxField form={form} name="policy.cache.enabled">
            Cache identical requests
          </CheckboxField>
          <CheckboxField form={form} name="policy.pii.enabled">
            Mask personal data before it leaves the platform
          </CheckboxField>
          <CheckboxField form={form} name="isDefault">
            The workspace's default route
          </CheckboxField>
        </Flex>
        <FormProblems
          error={save.error}
          shown={Object.keys(issuesOf(save.error)).filter((path) => ROUTE_FIELDS.test(path))}
        />
        <FormActions label="Save route" pending={save.isPending} onCancel={onDone} />
      </form>
    </Card>
  );
}
