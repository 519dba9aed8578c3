export { type SessionCreateRequest, SessionCreateSchema } from "../../../../contracts/api.js";
