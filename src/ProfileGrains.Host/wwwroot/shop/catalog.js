// The demo shop's products: what a visitor browses, carts and buys.
export const PRODUCTS = [
  { sku: 'RUN-SHOE-42', name: 'Trail running shoes', category: 'running', price: 89.9, colour: '#e8f1fb' },
  { sku: 'RUN-SOCKS-3', name: 'Running socks (3 pairs)', category: 'running', price: 14.5, colour: '#e8f1fb' },
  { sku: 'YOGA-MAT', name: 'Yoga mat', category: 'yoga', price: 34, colour: '#f3ecfa' },
  { sku: 'YOGA-BLOCK', name: 'Cork yoga block', category: 'yoga', price: 12, colour: '#f3ecfa' },
  { sku: 'TENT-2P', name: 'Two-person tent', category: 'camping', price: 149, colour: '#edf7ee' },
  { sku: 'STOVE-GAS', name: 'Camping stove', category: 'camping', price: 39.9, colour: '#edf7ee' },
  { sku: 'BIKE-HELMET', name: 'Cycling helmet', category: 'cycling', price: 59, colour: '#fdf3e6' },
  { sku: 'BIKE-LIGHTS', name: 'Bike light set', category: 'cycling', price: 24.9, colour: '#fdf3e6' },
];

export const bySku = (sku) => PRODUCTS.find((p) => p.sku === sku);
