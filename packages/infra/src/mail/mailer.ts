import { createTransport } from "nodemailer";

/** An e-mail to send (structurally core's `OutgoingMail`). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mails: the adapter behind core's mail port. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** Prints e-mails to stdout: in embedded mode the link is in the `parley start` output. */
export function consoleMailer(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): MailTransport {
  return {
    async send(mail) {
      write(`[mail] to: ${mail.to}\n[mail] subject: ${mail.subject}\n${mail.text.replace(/^/gm, "[mail] ")}`);
    },
  };
}

/** Delivers e-mails through the SMTP server at `url` (smtp:// or smtps://), with nodemailer. */
export function smtpMailer(url: string, from: string): MailTransport {
  const transport = createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/** A mailer that keeps what it sent, for tests. */
export function memoryMailer(): MailTransport & { readonly sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
    },
  };
}

/** The SMTP mailer when `smtpUrl` is set, else the console mailer. */
export const mailerFor = (smtpUrl: string | undefined, from: string): MailTransport =>
  smtpUrl ? smtpMailer(smtpUrl, from) : consoleMailer();
