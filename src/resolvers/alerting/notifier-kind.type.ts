/** A notifier kind and the fields of its form. */
import { Field, ObjectType } from 'type-graphql';
import { FieldDescriptionView } from '../field-description.type.js';
import { NotifierKindEnum } from './alerting-enums.js';

@ObjectType()
export class NotifierKindView {
  @Field(() => NotifierKindEnum)
  kind!: string;

  @Field(() => [FieldDescriptionView], { description: 'Settings first, then secrets.' })
  fields!: FieldDescriptionView[];
}
