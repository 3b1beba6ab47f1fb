/** Small value types shared by the cluster and project layers. */
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A Kubernetes status condition.' })
export class Condition {
  @Field()
  type!: string;

  @Field({ description: '`True`, `False` or `Unknown`.' })
  status!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => Date, { nullable: true })
  lastTransitionTime!: Date | null;
}

@ObjectType({ description: 'CPU, memory and pod amounts as numbers.' })
export class ResourceTotals {
  @Field(() => Float, { description: 'CPU in millicores.' })
  cpuMillis!: number;

  @Field(() => Float)
  memoryBytes!: number;

  @Field(() => Int)
  pods!: number;
}

@ObjectType({
  description: 'A share of allocatable capacity, in percent (null when none is allocatable).',
})
export class ResourcePercentages {
  @Field(() => Float, { nullable: true })
  cpu!: number | null;

  @Field(() => Float, { nullable: true })
  memory!: number | null;

  @Field(() => Float, { nullable: true })
  pods!: number | null;
}

interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function conditionsOf(raw: unknown): Condition[] {
  if (!Array.isArray(raw)) return [];
  return (raw as RawCondition[]).map((c) => ({
    type: c.type ?? '',
    status: c.status ?? 'Unknown',
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: c.lastTransitionTime ? new Date(c.lastTransitionTime) : null,
  }));
}
