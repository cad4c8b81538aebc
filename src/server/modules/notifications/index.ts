export { renderNotification } from './notifications.messages.js';
export type { NewNotification } from './notifications.repository.js';
export { createNotificationService, type NotificationService } from './notifications.service.js';
