// Runs in the central API (Node). Outgoing email for the homepage-security service: one small
// interface so the service never knows the transport; the real one is nodemailer over SMTP.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<void>;
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send without STARTTLS (production); tests against a plain local sink turn it off. */
  requireTls?: boolean;
  user?: string;
  pass?: string;
  from: string;
}

export function createSmtpMailer(opts: SmtpOptions): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    requireTLS: opts.requireTls ?? true,
    ...(opts.user ? { auth: { user: opts.user, pass: opts.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(msg) {
      await transport.sendMail({ from: opts.from, to: msg.to, subject: msg.subject, text: msg.text });
    },
    close: () => transport.close(),
  };
}
