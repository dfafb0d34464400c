"use client";

// The client-safe entry (permissions and zod only): the scopes core grants, so the list cannot drift.
import { API_KEY_SCOPES, type ApiKeyScope } from "@parley/core/scopes";
import {
  Badge,
  Box,
  Button,
  Callout,
  Card,
  Checkbox,
  Code,
  Flex,
  Table,
  Text,
  TextArea,
  TextField,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FieldProblem, FormProblems, invalidProps, issuesOf } from "../../components/field";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { ConfirmButton } from "../../components/ui/confirm-dialog";
import { EmptyState, Page, TableSkeleton } from "../../components/ui/page";
import { toast } from "../../components/ui/toast";

function ApiKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["conversations:write"]);
  const [expiresOn, setExpiresOn] = useState("");
  const [ranges, setRanges] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        setShown(result.key);
        setName("");
        setExpiresOn("");
        setRanges("");
        return refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const [submitted, setSubmitted] = useState(false);
  const serverErrors = issuesOf(create.error);
  const nameError = serverErrors.name;
  const scopesError =
    submitted && scopes.length === 0
      ? "Choose at least one scope."
      : Object.entries(serverErrors).find(([path]) => path.startsWith("scopes"))?.[1];
  const expiresError = serverErrors.expiresAt;
  const rangesError = Object.entries(serverErrors).find(([path]) => path.startsWith("allowedCidrs"))?.[1];
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
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setSubmitted(true);
            if (scopes.length === 0) return;
            const allowedCidrs = ranges
              .split(/[\s,]+/)
              .map((range) => range.trim())
              .filter(Boolean);
            create.mutate({
              name,
              scopes,
              ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
              ...(allowedCidrs.length > 0 ? { allowedCidrs } : {}),
            });
          }}
        >
          <Flex gap="2" align="center">
            <TextField.Root
              id="key-name"
              aria-label="Key name"
              placeholder="Key name, e.g. CI"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              style={{ width: 280 }}
              {...invalidProps("key-name", nameError)}
            />
            <Button type="submit" disabled={create.isPending}>
              Create key
            </Button>
          </Flex>
          <FieldProblem id="key-name-error" message={nameError} />
          <Box asChild mt="3">
            <fieldset
              style={{ border: 0, padding: 0 }}
              aria-describedby={scopesError ? "key-scopes-error" : undefined}
            >
              <Text as="div" size="2" color="gray" mb="1" asChild>
                <legend>What the key may do</legend>
              </Text>
              <Flex gap="4" wrap="wrap">
                {API_KEY_SCOPES.map((scope) => (
                  <Text as="label" size="2" key={scope}>
                    <Flex gap="2" align="center">
                      <Checkbox
                        checked={scopes.includes(scope)}
                        onCheckedChange={(checked) =>
                          setScopes(checked === true ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                        }
                      />
                      {scope === "*" ? "everything (*) but managing members and the workspace" : scope}
                    </Flex>
                  </Text>
                ))}
              </Flex>
            </fieldset>
          </Box>
          <FieldProblem id="key-scopes-error" message={scopesError} />
          <Flex gap="4" mt="3" wrap="wrap" align="start">
            <Flex direction="column" gap="1">
              <Text as="label" htmlFor="key-expires" size="2" weight="medium">
                Expires on (optional)
              </Text>
              <TextField.Root
                id="key-expires"
                type="date"
                value={expiresOn}
                onChange={(e) => setExpiresOn(e.target.value)}
                {...invalidProps("key-expires", expiresError)}
              />
              <Text size="1" color="gray">
                The key stops working at the end of that day.
              </Text>
              <FieldProblem id="key-expires-error" message={expiresError} />
            </Flex>
            <Flex direction="column" gap="1" flexGrow="1" minWidth="260px">
              <Text as="label" htmlFor="key-ranges" size="2" weight="medium">
                Allowed IP ranges (optional)
              </Text>
              <TextArea
                id="key-ranges"
                rows={2}
                placeholder="203.0.113.0/24, 2001:db8::/32"
                value={ranges}
                onChange={(e) => setRanges(e.target.value)}
                {...invalidProps("key-ranges", rangesError)}
              />
              <Text size="1" color="gray">
                Addresses or CIDR ranges, separated by commas or new lines. Empty: usable from anywhere.
              </Text>
              <FieldProblem id="key-ranges-error" message={rangesError} />
            </Flex>
          </Flex>
          <FormProblems error={create.error} shown={Object.keys(serverErrors)} />
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
