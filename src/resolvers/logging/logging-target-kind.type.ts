/** A logging target kind and the fields of its form. */
import { Field, ObjectType } from 'type-graphql';
import { FieldDescriptionView } from '../field-description.type.js';
import { LoggingTargetKindEnum } from './logging.type.js';

@ObjectType()
export class LoggingTargetKindView {
  @Field(() => LoggingTargetKindEnum)
  kind!: string;

  @Field(() => [FieldDescriptionView], { description: 'Settings first, then secrets.' })
  fields!: FieldDescriptionView[];
}
