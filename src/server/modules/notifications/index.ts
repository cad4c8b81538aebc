export { renderNotification } from './notifications.messages.js';
export type { NewNotification, OpenTask } from './notifications.repository.js';
export { type NotificationsRouteDeps, notificationsRoutes } from './notifications.routes.js';
export { createNotificationService, type NotificationService } from './notifications.service.js';
