import { type Permission, permissionSchema } from "@parley/contract";

export { type Permission, permissionSchema };

/** Every permission, in declaration order. */
export const allPermissions: readonly Permission[] = permissionSchema.options;
