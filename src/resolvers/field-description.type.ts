/** A field of a notifier or logging target kind, for a client that builds its form from it. */
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FieldDescription } from '../domain/field-specs.js';

export const FieldTypeEnum = {
  STRING: 'string',
  STRINGS: 'strings',
  NUMBER: 'number',
  BOOLEAN: 'boolean',
  ENUM: 'enum',
  SECRET: 'secret',
} as const;
registerEnumType(FieldTypeEnum, {
  name: 'FieldType',
  description:
    'STRINGS is a list of strings; SECRET is a write-only string, given in `secrets` and never returned.',
});

@ObjectType()
export class FieldDescriptionView {
  @Field()
  name!: string;

  @Field(() => FieldTypeEnum)
  type!: string;

  @Field()
  required!: boolean;

  @Field(() => [String], { nullable: true, description: 'ENUM: the allowed values.' })
  values!: string[] | null;

  @Field(() => Int, { nullable: true })
  min!: number | null;

  @Field(() => Int, { nullable: true })
  max!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'STRING: a regular expression (JavaScript syntax) the value must match.',
  })
  pattern!: string | null;
}

export function toFieldDescription(f: FieldDescription): FieldDescriptionView {
  return {
    name: f.name,
    type: f.type,
    required: f.required,
    values: f.values === undefined ? null : [...f.values],
    min: f.min ?? null,
    max: f.max ?? null,
    pattern: f.pattern ?? null,
  };
}
