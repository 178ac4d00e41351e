import { PG, sqlState, violatedConstraint } from '../../src/db/pg-errors.js';

// The shape Prisma 7 with @prisma/adapter-pg throws for an exclusion violation inside
// tx.trainingSession.create(), as logged by the server (trimmed to the fields read).
const prismaExclusionError = {
  name: 'PrismaClientKnownRequestError',
  code: 'P2039',
  clientVersion: '7.10.0',
  meta: {
    modelName: 'TrainingSession',
    driverAdapterError: {
      name: 'DriverAdapterError',
      cause: {
        originalCode: '23P01',
        originalMessage: 'conflicting key value violates exclusion constraint "training_sessions_member_no_overlap"',
        kind: 'postgres',
        code: '23P01',
      },
    },
  },
};

describe('sqlState', () => {
  it("digs the SQLSTATE out of a Prisma error instead of taking Prisma's own P2039 code", () => {
    expect(sqlState(prismaExclusionError)).toBe(PG.exclusionViolation);
  });

  it('reads a plain pg error', () => {
    expect(sqlState({ code: '40P01' })).toBe(PG.deadlock);
  });

  it("keeps PL/pgSQL's P0001, which is a real SQLSTATE", () => {
    expect(sqlState({ code: 'P0001' })).toBe('P0001');
  });

  it('is undefined for errors without one', () => {
    expect(sqlState(new Error('boom'))).toBeUndefined();
  });
});

describe('violatedConstraint', () => {
  it("names the constraint from the driver's message", () => {
    expect(violatedConstraint(prismaExclusionError)).toBe('training_sessions_member_no_overlap');
  });
});
