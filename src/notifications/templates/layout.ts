import { escapeHtml } from './format';

/** What a template says; the layout writes it as plain text and as HTML. */
export interface Content {
  /** In-app title and email subject. */
  title: string;
  /** In-app body: one or two sentences. */
  body: string;
  /** Email paragraphs (plain text; escaped for HTML). */
  paragraphs: string[];
  /** A list under the paragraphs (sessions, dates). */
  items?: string[];
  link?: { label: string; url: string };
}

export interface Rendered {
  title: string;
  body: string;
  subject: string;
  text: string;
  html: string;
}

export interface Frame {
  studioName: string;
  recipientName: string;
  /** Where a person changes which emails they get. */
  preferencesUrl: string;
}

export function render(content: Content, frame: Frame): Rendered {
  const greeting = `Hello ${frame.recipientName},`;
  const footer = `${frame.studioName}. You get this email because of your bookings; choose which emails you get at ${frame.preferencesUrl}`;
  const text = [
    greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.items?.length ? [...content.items.map((item) => `- ${item}`), ''] : []),
    ...(content.link ? [`${content.link.label}: ${content.link.url}`, ''] : []),
    '-- ',
    footer,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${e(content.title)}</title></head>
<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 560px; margin: 0 auto; padding: 16px;">
<p>${e(greeting)}</p>
${content.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}
${content.items?.length ? `<ul>\n${content.items.map((item) => `<li>${e(item)}</li>`).join('\n')}\n</ul>` : ''}
${content.link ? `<p><a href="${e(content.link.url)}">${e(content.link.label)}</a></p>` : ''}
<hr style="border: none; border-top: 1px solid #ddd;">
<p style="font-size: 12px; color: #666;">${e(frame.studioName)}. You get this email because of your bookings; <a href="${e(frame.preferencesUrl)}">choose which emails you get</a>.</p>
</body></html>
`;
  return { title: content.title, body: content.body, subject: `${content.title} - ${frame.studioName}`, text, html };
}
