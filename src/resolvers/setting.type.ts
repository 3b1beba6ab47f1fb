import { Field, ID, ObjectType } from 'type-graphql';
import type { SettingView } from '../domain/settings.js';
import { SettingSourceEnum } from './enums.js';

@ObjectType({ description: 'A global setting.' })
export class Setting {
  @Field(() => ID)
  name!: string;

  @Field()
  value!: string;

  @Field()
  defaultValue!: string;

  @Field()
  description!: string;

  @Field(() => SettingSourceEnum)
  source!: SettingView['source'];

  @Field()
  readOnly!: boolean;
}
