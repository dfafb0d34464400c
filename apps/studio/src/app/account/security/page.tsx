"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useTRPC } from "../../../client/trpc";
import { FormProblems, InputField, issuesOf } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { AccountShell } from "../../../components/shell";

/** The recovery codes, shown once: copy or download them. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Parley recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  const [copied, setCopied] = useState(false);
  return (
    <section className="card" data-testid="recovery-codes">
      <h2>Your recovery codes</h2>
      <p>
        Keep these somewhere safe. Each one signs you in once if you lose your authenticator app. They are
        shown only now.
      </p>
      <pre>{codes.join("\n")}</pre>
      <p className="row">
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <a
          className="button"
          download="parley-recovery-codes.txt"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          Download
        </a>
        <span className="spacer" />
        <button className="primary" type="button" onClick={onDone}>
          I saved them
        </button>
      </p>
    </section>
  );
}

/** Enrol: QR code and manual key, then a code from the app. */
function Enrol({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const start = useMutation(trpc.account.startMfaEnrolment.mutationOptions());
  const confirm = useMutation(
    trpc.account.confirmMfaEnrolment.mutationOptions({
      onSuccess: (result) => onEnabled(result.recoveryCodes),
    }),
  );
  const uri = start.data?.otpauthUri;
  useEffect(() => {
    if (uri) void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then(setQr);
  }, [uri]);
  if (!start.data) {
    return (
      <section>
        <p>
          Protect your account with a second step at sign-in: a code from an authenticator app (Google
          Authenticator, Microsoft Authenticator, 1Password, …).
        </p>
        <button className="primary" type="button" onClick={() => start.mutate()} disabled={start.isPending}>
          Set up an authenticator app
        </button>
        <FormError error={start.error} />
      </section>
    );
  }
  return (
    <section>
      <h2>1. Scan this code with your app</h2>
      {qr && (
        // biome-ignore lint/performance/noImgElement: a data: URL made in the browser; nothing for next/image to optimise
        <img src={qr} alt="QR code to add Parley to an authenticator app" width={200} height={200} />
      )}
      <p>
        Or enter this key by hand: <code data-testid="mfa-secret">{start.data.secret}</code>
      </p>
      <h2>2. Enter the code the app shows</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          confirm.mutate({ code });
        }}
      >
        <InputField
          id="enrol-code"
          label="6-digit code"
          error={issuesOf(confirm.error).code}
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          required
        />
        <FormProblems error={confirm.error} shown={["code"]} />
        <button className="primary" type="submit" disabled={confirm.isPending}>
          Turn on
        </button>
      </form>
    </section>
  );
}

/** MFA is on: regenerate recovery codes (with a code), or turn it off (password and code). */
function Manage({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
  const [regenerateCode, setRegenerateCode] = useState("");
  const [password, setPassword] = useState("");
  const [disableCode, setDisableCode] = useState("");
  const regenerate = useMutation(
    trpc.account.regenerateRecoveryCodes.mutationOptions({
      onSuccess: async (result) => {
        setRegenerateCode("");
        await refresh();
        onCodes(result.recoveryCodes);
      },
    }),
  );
  const disable = useMutation(trpc.account.disableMfa.mutationOptions({ onSuccess: refresh }));
  return (
    <>
      <section>
        <h2>New recovery codes</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            regenerate.mutate({ code: regenerateCode });
          }}
        >
          <InputField
            id="regenerate-code"
            label="Code from your app"
            hint="The old recovery codes stop working."
            error={issuesOf(regenerate.error).code}
            value={regenerateCode}
            onChange={(e) => setRegenerateCode(e.target.value)}
            required
          />
          <FormProblems error={regenerate.error} shown={["code"]} />
          <button type="submit" disabled={regenerate.isPending}>
            Generate new recovery codes
          </button>
        </form>
      </section>
      <section>
        <h2>Turn off</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            disable.mutate({ password, code: disableCode });
          }}
        >
          <InputField
            id="disable-password"
            label="Password"
            type="password"
            autoComplete="current-password"
            error={issuesOf(disable.error).password}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <InputField
            id="disable-code"
            label="Code from your app or a recovery code"
            error={issuesOf(disable.error).code}
            value={disableCode}
            onChange={(e) => setDisableCode(e.target.value)}
            required
          />
          <FormProblems error={disable.error} shown={["password", "code"]} />
          <button className="danger" type="submit" disabled={disable.isPending}>
            Turn off multi-factor sign-in
          </button>
        </form>
      </section>
    </>
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
    <main className="shell-main">
      <h1>Account security</h1>
      <FormError error={status.error} />
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : status.data?.enabled ? (
        <>
          <p data-testid="mfa-on">
            Multi-factor sign-in is <strong>on</strong> since{" "}
            {status.data.enabledAt ? new Date(status.data.enabledAt).toLocaleDateString() : "?"}.{" "}
            {status.data.recoveryCodesLeft} recovery codes left.
          </p>
          <Manage onCodes={shown} />
        </>
      ) : status.data ? (
        <Enrol onEnabled={shown} />
      ) : null}
    </main>
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
