"use client";

// The client-safe entry (permissions and zod only): the scopes core grants, so the list cannot drift.
import { API_KEY_SCOPES, type ApiKeyScope } from "@parley/core/scopes";
import { Badge, Box, Button, Callout, Card, Checkbox, Code, Flex, Grid, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { type UseFormReturn, useController } from "react-hook-form";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { ConfirmButton } from "../../components/ui/confirm-dialog";
import { FieldError, useContractForm, useFieldError } from "../../components/ui/form-controls";
import { applyServerErrorsAt, TextAreaFormField, TextFormField } from "../../components/ui/form-field";
import { EmptyState, Page, TableSkeleton } from "../../components/ui/page";
import { toast } from "../../components/ui/toast";
import { type ApiKeyValues, apiKeyFieldOf, apiKeyForm } from "./api-key-form";

const EMPTY: ApiKeyValues = { name: "", scopes: ["conversations:write"], expiresAt: "", allowedCidrs: "" };

/** The scopes a new key gets: a checkbox each, in a group with its problem underneath. */
function ScopesField({ form }: { form: UseFormReturn<ApiKeyValues, unknown, unknown> }) {
  const errorId = useId();
  const { field } = useController({ control: form.control, name: "scopes" });
  const error = useFieldError(form, "scopes");
  const scopes = field.value as ApiKeyScope[];
  return (
    <Box mt="3">
      <fieldset style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={error ? errorId : undefined}>
        <Text as="div" size="2" weight="medium" mb="1" asChild>
          <legend>What the key may do</legend>
        </Text>
        <Flex gap="4" wrap="wrap">
          {API_KEY_SCOPES.map((scope) => (
            <Text as="label" size="2" key={scope}>
              <Flex gap="2" align="center">
                <Checkbox
                  checked={scopes.includes(scope)}
                  onCheckedChange={(checked) => {
                    field.onChange(
                      checked === true ? [...scopes, scope] : scopes.filter((chosen) => chosen !== scope),
                    );
                    field.onBlur();
                  }}
                  ref={scope === API_KEY_SCOPES[0] ? (field.ref as never) : undefined}
                />
                {scope === "*" ? "everything (*) but managing members and the workspace" : scope}
              </Flex>
            </Text>
          ))}
        </Flex>
      </fieldset>
      <FieldError form={form} name="scopes" id={errorId} testId="error-scopes" />
    </Box>
  );
}

function ApiKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [shown, setShown] = useState<string | null>(null);
  const form = useContractForm(apiKeyForm, { defaultValues: EMPTY });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        setShown(result.key);
        toast.success(`API key “${result.apiKey.name}” created: copy it now.`);
        // The next key likely needs the same scopes.
        form.reset({ ...EMPTY, scopes: form.getValues("scopes") });
        return refresh();
      },
      onError: (error) => applyServerErrorsAt(form, error, apiKeyFieldOf),
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  return (
    <Page title="API keys" description="Secret keys for the REST API, each limited to what it may do.">
      {shown && (
        <Callout.Root role="status" mb="4">
          <Box>
            <Text weight="bold">Copy this key now: it will not be shown again.</Text>
            <pre data-testid="new-api-key">{shown}</pre>
            <Flex gap="2">
              <Button
                type="button"
                variant="soft"
                onClick={() =>
                  void navigator.clipboard
                    ?.writeText(shown)
                    .then(() => toast.success("Key copied to the clipboard."))
                }
              >
                Copy key
              </Button>
              <Button type="button" variant="soft" color="gray" onClick={() => setShown(null)}>
                I copied it
              </Button>
            </Flex>
          </Box>
        </Callout.Root>
      )}
      <Card asChild>
        <form aria-label="New API key" noValidate onSubmit={form.handleSubmit((key) => create.mutate(key))}>
          <TextFormField
            form={form}
            name="name"
            id="key-name"
            label="Key name"
            placeholder="e.g. CI"
            style={{ maxWidth: 280 }}
          />
          <ScopesField form={form} />
          <Grid columns={{ initial: "1", sm: "auto 1fr" }} gapX="4">
            <TextFormField
              form={form}
              name="expiresAt"
              id="key-expires"
              type="date"
              label="Expires on (optional)"
              help="The key stops working at the end of that day."
            />
            <TextAreaFormField
              form={form}
              name="allowedCidrs"
              id="key-ranges"
              rows={2}
              label="Allowed IP ranges (optional)"
              placeholder="203.0.113.0/24, 2001:db8::/32"
              help="Addresses or CIDR ranges, separated by commas or new lines. Empty: usable from anywhere."
            />
          </Grid>
          <FormProblems
            error={create.error}
            shown={Object.keys(issuesOf(create.error)).filter((path) => apiKeyFieldOf(path) !== undefined)}
          />
          <FormActions label="Create key" pendingLabel="Creating…" pending={create.isPending} />
        </form>
      </Card>
      <FormError error={keys.error ?? revoke.error} />
      <Box mt="4">
        {!keys.data ? (
          <TableSkeleton columns={8} />
        ) : keys.data.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create a key above to call the REST API from your own code or CI; it is shown once, then only its
            prefix.
          </EmptyState>
        ) : (
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Prefix</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Scopes</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Created</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Last used</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Expires</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Allowed from</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>
                  <span className="sr-only">Status</span>
                </Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {keys.data.map((key) => (
                <Table.Row key={key.id}>
                  <Table.Cell>{key.name}</Table.Cell>
                  <Table.Cell>
                    <Code variant="ghost">{key.prefix}…</Code>
                  </Table.Cell>
                  <Table.Cell>{key.scopes.join(", ")}</Table.Cell>
                  <Table.Cell>
                    <Text color="gray">{new Date(key.createdAt).toLocaleString()}</Text>
                  </Table.Cell>
                  <Table.Cell>
                    <Text color="gray">
                      {key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : "never"}
                    </Text>
                  </Table.Cell>
                  <Table.Cell>
                    <Text color="gray">
                      {key.expiresAt ? new Date(key.expiresAt).toLocaleDateString() : "never"}
                    </Text>
                  </Table.Cell>
                  <Table.Cell>
                    <Text color="gray">
                      {key.allowedCidrs.length > 0 ? key.allowedCidrs.join(", ") : "anywhere"}
                    </Text>
                  </Table.Cell>
                  <Table.Cell justify="end">
                    {key.revokedAt ? (
                      <Badge color="red">revoked</Badge>
                    ) : key.expiresAt && Date.parse(key.expiresAt) <= Date.now() ? (
                      <Badge color="gray">expired</Badge>
                    ) : (
                      <ConfirmButton
                        title={`Revoke ${key.name}?`}
                        description="Calls made with this key are refused from now on. This cannot be undone."
                        confirmLabel="Revoke key"
                        onConfirm={() => revoke.mutateAsync({ keyId: key.id })}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        )}
      </Box>
    </Page>
  );
}

/** Secret API keys: create with scopes (shown once), list by prefix and last use, revoke. */
export default function ApiKeysPage() {
  return (
    <Shell>
      <ApiKeys />
    </Shell>
  );
}
