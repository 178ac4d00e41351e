import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: "A secret iCalendar (RFC 5545) URL with the caller's sessions, for any calendar app; rotating it makes the old URL answer 404." })
export class CalendarFeed {
  @Field()
  url!: string;

  @Field()
  createdAt!: Date;
}
