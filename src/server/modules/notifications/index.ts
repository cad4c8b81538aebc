export { renderNotification } from './notifications.messages.js';
export type { NewNotification, OpenTask } from './notifications.repository.js';
export { createNotificationService, type NotificationService } from './notifications.service.js';
