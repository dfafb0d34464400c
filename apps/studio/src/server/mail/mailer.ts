import { createTransport } from "nodemailer";

/** An e-mail the studio sends (password reset, invitation). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mails. The console transport prints them (embedded mode); SMTP delivers them. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Prints e-mails to stdout: in embedded mode the link is in the `parley start` output. */
export function consoleMailer(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Mailer {
  return {
    async send(mail) {
      write(`[mail] to: ${mail.to}\n[mail] subject: ${mail.subject}\n${mail.text.replace(/^/gm, "[mail] ")}`);
    },
  };
}

/** Delivers e-mails through the SMTP server at `url` (smtp:// or smtps://). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/** A mailer that keeps what it sent, for tests. */
export function memoryMailer(): Mailer & { readonly sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
    },
  };
}
