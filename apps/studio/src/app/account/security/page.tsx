"use client";

import { mfaCodeSchema } from "@parley/contract/accounts";
import { Box, Button, Callout, Card, Code, Flex, Grid, Heading, Skeleton, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { z } from "zod";
import { useTRPC } from "../../../client/trpc";
import { FormProblems } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { AccountShell } from "../../../components/shell";
import { applyServerErrors, TextFormField, useZodForm } from "../../../components/ui/form-field";
import { Page } from "../../../components/ui/page";
import { toast } from "../../../components/ui/toast";

const codeForm = z.object({ code: mfaCodeSchema });
const disableForm = z.object({ password: z.string().min(1, "is required"), code: mfaCodeSchema });

/** The recovery codes, shown once: copy or download them. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Parley recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <Card size="3" data-testid="recovery-codes">
      <Heading as="h2" size="4">
        Your recovery codes
      </Heading>
      <Text as="p" size="2" my="2">
        Keep these somewhere safe. Each one signs you in once if you lose your authenticator app. They are
        shown only now.
      </Text>
      <pre>{codes.join("\n")}</pre>
      <Flex gap="2" mt="3">
        <Button
          type="button"
          variant="soft"
          onClick={() =>
            void navigator.clipboard?.writeText(text).then(() => toast.success("Recovery codes copied."))
          }
        >
          Copy
        </Button>
        <Button asChild variant="soft">
          <a
            download="parley-recovery-codes.txt"
            href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          >
            Download
          </a>
        </Button>
        <Box flexGrow="1" />
        <Button type="button" onClick={onDone}>
          I saved them
        </Button>
      </Flex>
    </Card>
  );
}

/** Enrol: QR code and manual key, then a code from the app. */
function Enrol({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const [qr, setQr] = useState<string | null>(null);
  const form = useZodForm(codeForm, { defaultValues: { code: "" } });
  const start = useMutation(trpc.account.startMfaEnrolment.mutationOptions());
  const confirm = useMutation(
    trpc.account.confirmMfaEnrolment.mutationOptions({
      onSuccess: (result) => onEnabled(result.recoveryCodes),
      onError: (error) => applyServerErrors(form, error, ["code"]),
    }),
  );
  const uri = start.data?.otpauthUri;
  useEffect(() => {
    if (uri) void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then(setQr);
  }, [uri]);
  if (!start.data) {
    return (
      <Card size="3">
        <Text as="p" size="2" mb="3">
          Protect your account with a second step at sign-in: a code from an authenticator app (Google
          Authenticator, Microsoft Authenticator, 1Password, …).
        </Text>
        <Button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
          Set up an authenticator app
        </Button>
        <FormError error={start.error} />
      </Card>
    );
  }
  return (
    <Card size="3">
      <Heading as="h2" size="4" mb="2">
        1. Scan this code with your app
      </Heading>
      {qr && (
        // biome-ignore lint/performance/noImgElement: a data: URL made in the browser; nothing for next/image to optimise
        <img src={qr} alt="QR code to add Parley to an authenticator app" width={200} height={200} />
      )}
      <Text as="p" size="2">
        Or enter this key by hand: <Code data-testid="mfa-secret">{start.data.secret}</Code>
      </Text>
      <Heading as="h2" size="4" mt="4">
        2. Enter the code the app shows
      </Heading>
      <form onSubmit={form.handleSubmit((values) => confirm.mutate(values))} noValidate>
        <TextFormField
          form={form}
          name="code"
          id="enrol-code"
          label="6-digit code"
          autoComplete="one-time-code"
          inputMode="numeric"
          style={{ maxWidth: 200 }}
        />
        <FormProblems error={confirm.error} shown={["code"]} />
        <Button type="submit" mt="3" disabled={confirm.isPending}>
          Turn on
        </Button>
      </form>
    </Card>
  );
}

/** MFA is on: regenerate recovery codes (with a code), or turn it off (password and code). */
function Manage({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
  const regenerateForm = useZodForm(codeForm, { defaultValues: { code: "" } });
  const offForm = useZodForm(disableForm, { defaultValues: { password: "", code: "" } });
  const regenerate = useMutation(
    trpc.account.regenerateRecoveryCodes.mutationOptions({
      onSuccess: async (result) => {
        regenerateForm.reset();
        await refresh();
        onCodes(result.recoveryCodes);
      },
      onError: (error) => applyServerErrors(regenerateForm, error, ["code"]),
    }),
  );
  const disable = useMutation(
    trpc.account.disableMfa.mutationOptions({
      onSuccess: () => {
        toast.success("Multi-factor sign-in is off.");
        return refresh();
      },
      onError: (error) => applyServerErrors(offForm, error, ["password", "code"]),
    }),
  );
  return (
    <Grid columns={{ initial: "1", sm: "2" }} gap="4">
      <Card size="3">
        <Heading as="h2" size="4">
          New recovery codes
        </Heading>
        <form onSubmit={regenerateForm.handleSubmit((values) => regenerate.mutate(values))} noValidate>
          <TextFormField
            form={regenerateForm}
            name="code"
            id="regenerate-code"
            label="Code from your app"
            help="The old recovery codes stop working."
          />
          <FormProblems error={regenerate.error} shown={["code"]} />
          <Button type="submit" variant="soft" mt="3" disabled={regenerate.isPending}>
            Generate new recovery codes
          </Button>
        </form>
      </Card>
      <Card size="3">
        <Heading as="h2" size="4">
          Turn off
        </Heading>
        <form onSubmit={offForm.handleSubmit((values) => disable.mutate(values))} noValidate>
          <TextFormField
            form={offForm}
            name="password"
            id="disable-password"
            label="Password"
            type="password"
            autoComplete="current-password"
          />
          <TextFormField
            form={offForm}
            name="code"
            id="disable-code"
            label="Code from your app or a recovery code"
          />
          <FormProblems error={disable.error} shown={["password", "code"]} />
          <Button type="submit" color="red" variant="soft" mt="3" disabled={disable.isPending}>
            Turn off multi-factor sign-in
          </Button>
        </form>
      </Card>
    </Grid>
  );
}

function AccountSecurity() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.account.mfaStatus.queryOptions());
  const [codes, setCodes] = useState<string[] | null>(null);
  const shown = async (fresh: string[]) => {
    setCodes(fresh);
    // The workspace may have been closed to us until now: everything cached is stale.
    await queryClient.invalidateQueries();
  };
  return (
    <Page
      title="Account security"
      description="Multi-factor sign-in for your own account, in every workspace."
    >
      <FormError error={status.error} />
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : status.data?.enabled ? (
        <>
          <Callout.Root color="green" mb="4" data-testid="mfa-on">
            <Callout.Text>
              Multi-factor sign-in is <strong>on</strong> since{" "}
              {status.data.enabledAt ? new Date(status.data.enabledAt).toLocaleDateString() : "?"}.{" "}
              {status.data.recoveryCodesLeft} recovery codes left.
            </Callout.Text>
          </Callout.Root>
          <Manage onCodes={shown} />
        </>
      ) : status.data ? (
        <Enrol onEnabled={shown} />
      ) : (
        <Skeleton height="120px" />
      )}
    </Page>
  );
}

/** The signed-in user's own security settings: multi-factor sign-in (authenticator app, recovery codes). */
export default function AccountSecurityPage() {
  return (
    <AccountShell>
      <AccountSecurity />
    </AccountShell>
  );
}
