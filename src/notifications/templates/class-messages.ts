import type { Content } from './layout';
import { span, when } from './format';

/** What a class notice says about its class, in the recipient's zone. */
export interface ClassFacts {
  classId: string;
  className: string;
  coachName: string;
  roomName: string;
  startTime: Date;
  endTime: Date;
  cancellationReason: string | null;
}

export interface ClassLinks {
  classSession(id: string): string;
}

const item = (c: ClassFacts, zone: string) => `${c.className} with ${c.coachName}: ${span(c.startTime, c.endTime, zone)}, ${c.roomName}`;
const link = (c: ClassFacts, links: ClassLinks, label = 'See the class') => ({ label, url: links.classSession(c.classId) });

export function classBooked(p: { zone: string; cls: ClassFacts; links: ClassLinks }): Content {
  return {
    title: 'Class booked',
    body: `${p.cls.className}, ${when(p.cls.startTime, p.zone)} with ${p.cls.coachName}.`,
    paragraphs: ['You have a place in this class:'],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links, 'See or cancel'),
  };
}

export function classWaitlisted(p: { zone: string; cls: ClassFacts; position: number | null; links: ClassLinks }): Content {
  const where = p.position ? ` You are number ${p.position} in line.` : '';
  return {
    title: 'On the waitlist',
    body: `${p.cls.className}, ${when(p.cls.startTime, p.zone)} is full.${where}`,
    paragraphs: [`This class is full, so you are on its waitlist.${where} If a place frees up you get it, or an offer to accept, and we tell you.`],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links),
  };
}

export function classPromoted(p: { zone: string; cls: ClassFacts; links: ClassLinks }): Content {
  return {
    title: 'You got a place',
    body: `A place freed up: you are booked into ${p.cls.className}, ${when(p.cls.startTime, p.zone)}.`,
    paragraphs: ['A place freed up in a class you were waiting for, and it is yours:'],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links, 'See or cancel'),
  };
}

export function classSpotOffered(p: { zone: string; cls: ClassFacts; expiresAt: Date; links: ClassLinks }): Content {
  return {
    title: 'A place is offered to you',
    body: `${p.cls.className}, ${when(p.cls.startTime, p.zone)}: accept by ${when(p.expiresAt, p.zone)}.`,
    paragraphs: [`A place freed up in a class you are waiting for. It is held for you until ${when(p.expiresAt, p.zone)} (${p.zone}); after that it goes to the next in line.`],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links, 'Accept or decline'),
  };
}

export function classOfferExpired(p: { zone: string; cls: ClassFacts; links: ClassLinks }): Content {
  return {
    title: 'Offer expired',
    body: `The place offered in ${p.cls.className}, ${when(p.cls.startTime, p.zone)} was not accepted in time.`,
    paragraphs: ['The place we held for you was not accepted in time and has gone to the next in line:'],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links),
  };
}

export function classCancelled(p: { zone: string; cls: ClassFacts; links: ClassLinks }): Content {
  return {
    title: 'Class cancelled',
    body: `${p.cls.className}, ${when(p.cls.startTime, p.zone)} is cancelled.`,
    paragraphs: ['This class is cancelled, with your place in it:', ...(p.cls.cancellationReason ? [`Reason: ${p.cls.cancellationReason}`] : [])],
    items: [item(p.cls, p.zone)],
    link: link(p.cls, p.links),
  };
}

/** Several classes of one member cancelled by one cause: one notice listing them (times in the member's zone). */
export function classesCancelled(p: { zone: string; classes: ClassFacts[]; links: ClassLinks }): Content {
  const [first] = p.classes;
  const reasons = [...new Set(p.classes.map((c) => c.cancellationReason).filter((r): r is string => !!r))];
  return {
    title: 'Classes cancelled',
    body: `${p.classes.length} of your classes are cancelled, the first ${first!.className}, ${when(first!.startTime, p.zone)}.`,
    paragraphs: [`These classes are cancelled, with your places in them (times in ${p.zone}):`, ...reasons.map((r) => `Reason: ${r}`)],
    items: p.classes.map((c) => item(c, p.zone)),
    link: link(first!, p.links),
  };
}
