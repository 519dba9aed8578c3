import { Model, snakeCaseMappers } from "objection";

/**
 * Base of every model: camelCase properties over snake_case columns. No model is bound to a
 * global knex; callers pass the connection (`User.query(db)`), so tests and one-off commands
 * choose theirs explicitly. The mapping covers model properties only: `where` clauses still name
 * columns (`where({ actor_user_id: 1 })`).
 */
export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }
}
