// Every view reports failures in the page's one alert region, so a refused call is a message, never a blank page.
import { clearError, showError } from '/assets/dom.js';

const region = () => document.getElementById('alert');

export const report = (error) => showError(region(), error);
export const clearReport = () => clearError(region());
