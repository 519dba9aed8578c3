export {
  type WhatsappSettingsUpdateRequest,
  WhatsappSettingsUpdateSchema,
} from "../../../../../contracts/api.js";
