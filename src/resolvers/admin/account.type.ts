import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { ThemePreference } from '../../domain/preferences.js';
import { ThemeEnum } from './admin-enums.js';

@ObjectType({ description: "The caller's own UI preferences." })
export class Preferences {
  @Field(() => ThemeEnum)
  theme!: ThemePreference;

  @Field({ description: 'BCP 47 language tag; empty = the browser language.' })
  language!: string;

  @Field(() => Int, { description: 'Rows per page in lists.' })
  pageSize!: number;

  @Field({ description: 'The cluster the UI opens on; empty = none.' })
  defaultClusterId!: string;
}

@InputType({ description: 'Fields left null stay as they are.' })
export class UpdatePreferencesInput {
  @Field(() => ThemeEnum, { nullable: true })
  theme?: ThemePreference | null;

  @Field(() => String, { nullable: true })
  language?: string | null;

  @Field(() => Int, { nullable: true })
  pageSize?: number | null;

  @Field(() => ID, { nullable: true })
  defaultClusterId?: string | null;
}
