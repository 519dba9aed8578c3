import { z } from "zod";
import { templateLanguages } from "../../../../../contracts/templates.js";

export {
  parseTemplateCreate,
  TemplateCreateShapeSchema,
} from "../../../../integrations/whatsapp/templates/templateSchema.js";

/** Query of `GET /api/whatsapp/templates` (admins and managers; agents always get APPROVED). */
export const TemplateListQuerySchema = z.object({
  status: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z_]{1,32}$/, "must be a template status such as APPROVED")
    .optional(),
});

/** Route parameter of `DELETE /api/whatsapp/templates/:name`. */
export const TemplateNameParamsSchema = z.object({
  name: z
    .string()
    .max(512)
    .regex(/^[a-z0-9_]+$/, "must be a template name (lowercase letters, digits, underscores)"),
});

/** Query of `DELETE /api/whatsapp/templates/:name`: one language or one template id, or all. */
export const TemplateDeleteQuerySchema = z.object({
  language: z.enum(templateLanguages).optional(),
  id: z
    .string()
    .regex(/^\d{1,32}$/, "must be digits")
    .optional(),
});
